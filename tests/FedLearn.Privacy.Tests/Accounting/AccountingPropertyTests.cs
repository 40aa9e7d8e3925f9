using FedLearn.Privacy.Accounting;
using NUnit.Framework;

namespace FedLearn.Privacy.Tests.Accounting;

// Monotonicity the accountant must keep for any parameters: more steps, a higher sample rate or less noise never make
// ε smaller, and RDP never decreases with the order (a property of Rényi divergence).
public sealed class AccountingPropertyTests
{
    private const double Delta = 1e-5;

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public bool Epsilon_grows_with_steps(byte noise, byte rate, ushort steps, byte extra)
    {
        (double sigma, double q) = Parameters(noise, rate);
        long n = 1 + steps;

        return Epsilon(sigma, q, n) < Epsilon(sigma, q, n + 1 + extra);
    }

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public bool Epsilon_grows_with_the_sample_rate(byte noise, byte rate, byte larger, ushort steps)
    {
        (double sigma, double q) = Parameters(noise, rate);
        double higher = Math.Min(1.0, q * (1.05 + (larger / 64.0)));

        return higher == q || Epsilon(sigma, q, 1 + steps) < Epsilon(sigma, higher, 1 + steps);
    }

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public bool Epsilon_shrinks_with_noise(byte noise, byte rate, byte more, ushort steps)
    {
        (double sigma, double q) = Parameters(noise, rate);
        double moreNoise = sigma * (1.05 + (more / 64.0));

        return Epsilon(sigma, q, 1 + steps) > Epsilon(moreNoise, q, 1 + steps);
    }

    [FsCheck.NUnit.Property(MaxTest = 60)]
    public bool Rdp_does_not_decrease_with_the_order(byte noise, byte rate)
    {
        (double sigma, double q) = Parameters(noise, rate);
        double[] orders = [.. RdpOrders.Default];
        double[] rdp = new double[orders.Length];
        SubsampledGaussianRdp.Compute(sigma, q, 1, orders, rdp);

        for (int k = 1; k < rdp.Length; k++)
        {
            // Relative slack of 1e−12 for rounding between the integer and fractional formulas.
            if (rdp[k] < rdp[k - 1] * (1 - 1e-12))
            {
                return false;
            }
        }

        return true;
    }

    // σ in [0.5, 5.6], q in [1e−4, 1] on a log scale: the range DP-SGD and DP-FedAvg use.
    private static (double Sigma, double Q) Parameters(byte noise, byte rate) =>
        (0.5 + (noise / 50.0), Math.Pow(10, -4 + (rate / 63.75)));

    private static double Epsilon(double sigma, double q, long steps)
    {
        var accountant = new RdpAccountant();
        accountant.AddSteps(sigma, q, steps);
        return accountant.GetEpsilon(Delta);
    }
}
