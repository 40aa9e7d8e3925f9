using System.Threading.Channels;
using FedLearn.Server;

namespace FedLearn.Tracking;

/// <summary>
/// Logs each completed round's <see cref="RoundMetrics"/> to a tracked run. The server loop only queues the points;
/// one background task writes them in order, so a slow tracking server never holds a round up.
/// Call <see cref="CompleteAsync"/> after the run to wait for the last writes and see any error.
/// </summary>
/// <remarks>Thread-safe. The run belongs to the caller, who ends it after <see cref="CompleteAsync"/>.</remarks>
public sealed class TrackingRoundObserver : IRoundObserver
{
    private readonly Channel<IReadOnlyList<MetricPoint>> _queue = Channel.CreateUnbounded<IReadOnlyList<MetricPoint>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly IExperimentRun _run;
    private readonly Task _writer;

    /// <summary>Starts writing to <paramref name="run"/>.</summary>
    public TrackingRoundObserver(IExperimentRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        _run = run;
        _writer = Task.Run(WriteAsync);
    }

    /// <inheritdoc />
    public void OnRoundStarted(int round, IReadOnlyList<string> sampled)
    {
    }

    /// <inheritdoc />
    public void OnClientFinished(int round, string clientId, bool succeeded, int finished, int sampled)
    {
    }

    /// <inheritdoc />
    public void OnRoundCompleted(RoundResult result) => _queue.Writer.TryWrite(RoundMetrics.From(result));

    /// <summary>Stops accepting rounds and waits until everything queued is written.</summary>
    /// <exception cref="ExperimentTrackingException">A write failed; later rounds were not written.</exception>
    public async Task CompleteAsync(CancellationToken cancellationToken = default)
    {
        _queue.Writer.TryComplete();
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task WriteAsync()
    {
        await foreach (IReadOnlyList<MetricPoint> points in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            await _run.LogMetricsAsync(points).ConfigureAwait(false);
        }
    }
}
