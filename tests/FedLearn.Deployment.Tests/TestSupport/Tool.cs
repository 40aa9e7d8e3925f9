using System.Diagnostics;

namespace FedLearn.Deployment.Tests.TestSupport;

/// <summary>Runs a command-line tool that eng/install-prereqs.sh installs.</summary>
internal static class Tool
{
    /// <summary>Runs <paramref name="file"/>, feeding <paramref name="input"/> to its standard input; returns (exit code, stdout, stderr).</summary>
    public static (int ExitCode, string Output, string Error) Run(string file, string workingDirectory, string? input, params string[] arguments)
    {
        var start = new ProcessStartInfo(file)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start)!;
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw new InvalidOperationException($"'{file}' could not be started ({exception.Message}); run 'sudo bash eng/install-prereqs.sh', which installs it.", exception);
        }

        using (process)
        {
            Task<string> output = process.StandardOutput.ReadToEndAsync();
            Task<string> error = process.StandardError.ReadToEndAsync();
            if (input is not null)
            {
                process.StandardInput.Write(input);
            }

            process.StandardInput.Close();
            if (!process.WaitForExit(TimeSpan.FromMinutes(2)))
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"'{file} {string.Join(' ', arguments)}' did not finish within 2 minutes.");
            }

            process.WaitForExit();
            return (process.ExitCode, output.Result, error.Result);
        }
    }
}
