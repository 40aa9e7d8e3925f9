using System.Diagnostics;
using System.Text;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>
/// A sample app running as a child process (<c>dotnet app.dll args</c>), its standard output and error captured so a
/// failing test can show them; disposing kills it.
/// </summary>
internal sealed class AppProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private AppProcess(Process process, string name)
    {
        _process = process;
        Name = name;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Name { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the app wrote (standard output and error, interleaved).</summary>
    public string Log
    {
        get
        {
            lock (_log)
            {
                string text = _log.ToString();
                return text.Length > 6000 ? "…" + text[^6000..] : text;
            }
        }
    }

    public static AppProcess Start(string name, string assembly, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assembly)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assembly);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The apps read FEDLEARN_ variables; none of the test runner's may leak into them.
        foreach (string key in start.Environment.Keys.Where(k => k.StartsWith("FEDLEARN_", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(key);
        }

        return new AppProcess(Process.Start(start) ?? throw new InvalidOperationException($"dotnet {assembly} did not start."), name);
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
        }
    }
}
