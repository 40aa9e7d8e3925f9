using System.Globalization;

namespace FedLearn.Compression.Tests.Support;

/// <summary>A float vector drawn by <see cref="VectorArbitraries"/>, with a short description for failure reports.</summary>
public sealed record TestVector(float[] Values, string Kind, ulong Seed)
{
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Kind} n={Values.Length} seed={Seed} [{string.Join(", ", Values.Take(6).Select(v => v.ToString("R", CultureInfo.InvariantCulture)))}{(Values.Length > 6 ? ", ..." : string.Empty)}]");
}
