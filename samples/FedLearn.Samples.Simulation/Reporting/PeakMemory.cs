using System.Diagnostics;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>The process's peak resident memory.</summary>
internal static class PeakMemory
{
    public static long ReadBytes()
    {
        // VmHWM is the kernel's high-water mark of resident memory; it includes native allocations.
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (string line in File.ReadLines(status))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using Process process = Process.GetCurrentProcess();
        return process.PeakWorkingSet64;
    }
}
