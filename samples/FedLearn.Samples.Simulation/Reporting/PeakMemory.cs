using System.Diagnostics;

namespace FedLearn.Samples.Simulation.Reporting;

/// <summary>The process's peak resident memory.</summary>
internal static class PeakMemory
{
    /// <summary>The resident high-water mark (VmHWM), native allocations included.</summary>
    public static long ReadBytes() => Read("VmHWM:");

    /// <summary>The resident memory now (VmRSS), native allocations included.</summary>
    public static long ReadCurrentBytes() => Read("VmRSS:");

    private static long Read(string key)
    {
        const string status = "/proc/self/status";
        if (File.Exists(status))
        {
            foreach (string line in File.ReadLines(status))
            {
                if (line.StartsWith(key, StringComparison.Ordinal))
                {
                    string[] parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                    return long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture) * 1024;
                }
            }
        }

        using Process process = Process.GetCurrentProcess();
        return key == "VmRSS:" ? process.WorkingSet64 : process.PeakWorkingSet64;
    }
}
