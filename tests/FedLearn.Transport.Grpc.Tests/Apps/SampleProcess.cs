using System.Collections.Concurrent;
using System.Diagnostics;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>One sample app running as its own process, its output collected line by line.</summary>
internal sealed class SampleProcess : IDisposable
{
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();

    private SampleProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Add(e.Data);
        _process.ErrorDataReceived += (_, e) => Add(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output => string.Join('\n', _lines);

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    public static SampleProcess Start(string app, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(AppPath(app));
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["DOTNET_gcServer"] = "0";
        return new SampleProcess(Process.Start(start)!);
    }

    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        var watch = Stopwatch.StartNew();
        while (!Output.Contains(text, StringComparison.Ordinal))
        {
            if (watch.Elapsed > timeout || _process.HasExited)
            {
                Assert.Fail($"'{text}' did not appear within {timeout} (exited: {_process.HasExited}). Output:\n{Tail()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Waits for the exit; on a timeout the failure shows this output and, when given, the end of <paramref name="peer"/>'s (its server).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, SampleProcess? peer = null)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            string server = peer is null ? string.Empty : $"\nThe server's output ended with:\n{peer.Tail()}";
            Assert.Fail($"The process did not exit within {timeout}. Output:\n{Tail()}{server}");
        }

        return _process.ExitCode;
    }

    public void Kill() => _process.Kill(entireProcessTree: true);

    public string Tail() => string.Join('\n', _lines.TakeLast(40));

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            _lines.Enqueue(line);
        }
    }

    private static string AppPath(string app)
    {
        // tests/FedLearn.Transport.Grpc.Tests/bin/<Configuration>/<tfm>/ → samples/<app>/bin/<Configuration>/<tfm>/<app>.dll
        var output = new DirectoryInfo(TestContext.CurrentContext.TestDirectory);
        string tfm = output.Name;
        string configuration = output.Parent!.Name;
        DirectoryInfo? root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "FedLearn.sln")))
        {
            root = root.Parent;
        }

        Assert.That(root, Is.Not.Null, "the repository root (FedLearn.sln) was not found above the test output.");
        string path = Path.Combine(root!.FullName, "samples", app, "bin", configuration, tfm, app + ".dll");
        Assert.That(File.Exists(path), Is.True, $"{path} was not built.");
        return path;
    }
}
