using System.Diagnostics;
using NUnit.Framework;

namespace FedLearn.Samples.Tests.Simulation;

/// <summary>Runs the simulation sample as its own process and captures what it prints.</summary>
internal static class SampleProcess
{
    public static (int ExitCode, string Output, string Error) Run(TimeSpan timeout, params string[] arguments)
    {
        string dll = Path.Combine(AppContext.BaseDirectory, "FedLearn.Samples.Simulation.dll");
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(dll);
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("could not start the sample");
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"the sample did not finish within {timeout}: {string.Join(' ', arguments)}");
        }

        return (process.ExitCode, output.Result, error.Result);
    }
}
