namespace FedLearn.Torch.Tests.Runtime;

public sealed class TorchWorkersTests
{
    [Test]
    public async Task Work_runs_on_the_worker_threads_and_returns_its_result()
    {
        TorchWorkers workers = TorchWorkers.Start(1);
        int callerThread = Environment.CurrentManagedThreadId;

        (int Thread, string? Name) first = await workers.Run(_ => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name), CancellationToken.None);
        (int Thread, string? Name) second = await workers.Run(_ => (Environment.CurrentManagedThreadId, Thread.CurrentThread.Name), CancellationToken.None);

        Assert.That(first.Thread, Is.Not.EqualTo(callerThread));
        Assert.That(second.Thread, Is.EqualTo(first.Thread), "one worker runs everything queued to it");
        Assert.That(first.Name, Is.EqualTo("FedLearn.Torch worker 1"));
    }

    [Test]
    public async Task Queued_work_is_cancelled_without_running_and_running_work_finishes()
    {
        TorchWorkers workers = TorchWorkers.Start(1);
        using var started = new ManualResetEventSlim();
        using var release = new ManualResetEventSlim();
        Task<int> running = workers.Run(_ =>
        {
            started.Set();
            release.Wait(TimeSpan.FromSeconds(30));
            return 1;
        }, CancellationToken.None);
        started.Wait(TimeSpan.FromSeconds(30));
        bool queuedRan = false;
        using var cancellation = new CancellationTokenSource();
        Task<int> queued = workers.Run(_ =>
        {
            queuedRan = true;
            return 2;
        }, cancellation.Token);

        await cancellation.CancelAsync();

        Assert.That(async () => await queued, Throws.InstanceOf<OperationCanceledException>());
        release.Set();
        Assert.That(await running, Is.EqualTo(1));
        Assert.That(await workers.Run(_ => 3, CancellationToken.None), Is.EqualTo(3));
        Assert.That(queuedRan, Is.False);
    }

    [Test]
    public void Exceptions_and_cancellation_inside_the_work_reach_the_caller()
    {
        TorchWorkers workers = TorchWorkers.Start(1);
        using var cancellation = new CancellationTokenSource();

        Assert.That(
            async () => await workers.Run<int>(_ => throw new InvalidDataException("bad record"), CancellationToken.None),
            Throws.InstanceOf<InvalidDataException>().With.Message.EqualTo("bad record"));
        Assert.That(
            async () => await workers.Run<int>(token =>
            {
                cancellation.Cancel();
                token.ThrowIfCancellationRequested();
                return 0;
            }, cancellation.Token),
            Throws.InstanceOf<OperationCanceledException>());
    }

    [Test]
    public void The_worker_count_is_fixed_once_the_workers_run()
    {
        _ = TorchRuntime.Workers;
        int count = TorchRuntime.WorkerCount;

        Assert.DoesNotThrow(() => TorchRuntime.SetWorkerCount(count));
        var error = Assert.Throws<InvalidOperationException>(() => TorchRuntime.SetWorkerCount(count + 1))!;
        Assert.That(error.Message, Does.Contain("before the first fit or evaluation"));
        Assert.Throws<ArgumentOutOfRangeException>(() => TorchRuntime.SetWorkerCount(0));
    }
}
