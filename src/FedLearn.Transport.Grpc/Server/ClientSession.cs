using FedLearn.Transport.Grpc.Framing;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Server;

/// <summary>
/// One open federation stream of one client. Writes are serialized (a message's chunks never interleave with another
/// frame); <see cref="Closing"/> is cancelled when the server ends the stream (shutdown, or a newer connection of the
/// same client replaced it).
/// </summary>
internal sealed class ClientSession : IDisposable
{
    private readonly IServerStreamWriter<ServerFrame> _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly CancellationTokenSource _closing;
    private readonly int _chunkBytes;
    private long _lastWriteTicks;

    public ClientSession(string clientId, IServerStreamWriter<ServerFrame> writer, int chunkBytes, CancellationToken callAborted)
    {
        ClientId = clientId;
        _writer = writer;
        _chunkBytes = chunkBytes;
        _closing = CancellationTokenSource.CreateLinkedTokenSource(callAborted);
        _lastWriteTicks = Environment.TickCount64;
    }

    public string ClientId { get; }

    /// <summary>Cancelled when this stream is being closed.</summary>
    public CancellationToken Closing => _closing.Token;

    /// <summary>Why the server closed the stream, when it did.</summary>
    public string? CloseReason { get; private set; }

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await ChunkedWriter.WriteAsync(_writer, message, static s => new ServerFrame { Start = s }, static c => new ServerFrame { Chunk = c }, _chunkBytes, linked.Token).ConfigureAwait(false);
            _lastWriteTicks = Environment.TickCount64;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task WriteAsync(ServerFrame frame, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await _writer.WriteAsync(frame, linked.Token).ConfigureAwait(false);
            _lastWriteTicks = Environment.TickCount64;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Sends a heartbeat unless something was written within <paramref name="interval"/> or a message is being written.</summary>
    public async Task HeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (Environment.TickCount64 - Interlocked.Read(ref _lastWriteTicks) < (long)interval.TotalMilliseconds || !await _writeLock.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        try
        {
            await _writer.WriteAsync(new ServerFrame { Heartbeat = new Heartbeat { SentUnixMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() } }, cancellationToken).ConfigureAwait(false);
            _lastWriteTicks = Environment.TickCount64;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>Ends the stream from the server's side.</summary>
    public void Close(string reason)
    {
        CloseReason ??= reason;
        try
        {
            _closing.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    public void Dispose()
    {
        _closing.Dispose();
        _writeLock.Dispose();
    }
}
