namespace FedLearn.Torch;

/// <summary>
/// Runs one trainer's fit or evaluation on the LibTorch worker threads, one at a time per trainer (the model and its
/// staging tensors are not safe to share), and refuses work once the trainer is disposed.
/// </summary>
internal static class ExclusiveTorchWork
{
    /// <exception cref="ObjectDisposedException"><paramref name="isDisposed"/> is true before or after waiting for the gate.</exception>
    public static async Task<T> RunAsync<T>(SemaphoreSlim gate, Func<bool> isDisposed, object owner, Func<CancellationToken, T> work, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(isDisposed(), owner);
        await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            ObjectDisposedException.ThrowIf(isDisposed(), owner);
            return await TorchRuntime.Workers.Run(work, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            gate.Release();
        }
    }
}
