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
    private readonly CancellationTokenSource _stopWrites = new();
    private readonly TaskCompletionSource _ended = new(TaskCreationOptions.RunContinuationsAsynchronously);
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

    /// <summary>Completes when the server is done with this stream (nothing more is read or written).</summary>
    public Task Ended => _ended.Task;

    /// <summary>True once <see cref="StopWritesAsync"/> was called: nothing more is written to this stream.</summary>
    public bool WritesStopped => _stopWrites.IsCancellationRequested;

    public async Task SendAsync(OutgoingMessage message, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        await WaitToWriteAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await ChunkedWriter.WriteAsync(_writer, message, static s => new ServerFrame { Start = s }, static c => new ServerFrame { Chunk = c }, _chunkBytes, linked.Token, _stopWrites.Token).ConfigureAwait(false);
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
        await WaitToWriteAsync(linked.Token).ConfigureAwait(false);
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

    private async Task WaitToWriteAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopWrites.Token);
        await _writeLock.WaitAsync(linked.Token).ConfigureAwait(false);
        if (_stopWrites.IsCancellationRequested)
        {
            _writeLock.Release();
            throw new OperationCanceledException("The stream stopped writing.", _stopWrites.Token);
        }
    }

    /// <summary>Sends a heartbeat unless something was written within <paramref name="interval"/> or a message is being written.</summary>
    public async Task HeartbeatAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        if (Environment.TickCount64 - Interlocked.Read(ref _lastWriteTicks) < (long)interval.TotalMilliseconds || !await _writeLock.WaitAsync(0, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (_stopWrites.IsCancellationRequested)
        {
            _writeLock.Release();
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

    /// <summary>
    /// Lets the frame being written finish, writes nothing after it (a message being sent stops at a frame boundary)
    /// and waits up to <paramref name="timeout"/> for that frame. The call may then end with its status: ending it
    /// while a write is in flight, or cancelling that write, would reset the stream and lose the status.
    /// </summary>
    public async Task StopWritesAsync(TimeSpan timeout)
    {
        await _stopWrites.CancelAsync().ConfigureAwait(false);
        // The lock is kept: the session is over.
        _ = await _writeLock.WaitAsync(timeout).ConfigureAwait(false);
    }

    /// <summary>Marks the stream as done (see <see cref="Ended"/>).</summary>
    public void MarkEnded() => _ended.TrySetResult();

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
        _stopWrites.Dispose();
        _writeLock.Dispose();
    }
}
