using FsCheck;
using FsCheck.Fluent;

namespace FedLearn.Compression.Tests.Support;

/// <summary>
/// FsCheck generators of finite float vectors that stress codecs: Gaussian at scales from 1e-3 to 1e3, all zeros,
/// subnormals, values near float.MaxValue, heavy tails (ratio of Gaussians), many ties, layers (runs of Gaussians whose
/// scales differ by up to four orders of magnitude, as in a model update, so top-k positions cluster), and a
/// per-element mixture of the others. Lengths are mostly 0..300, sometimes 1000..20000.
/// </summary>
public static class VectorArbitraries
{
    public static readonly string[] Kinds = ["gaussian", "zeros", "subnormal", "huge", "heavy-tailed", "ties", "layered", "mixture"];

    public static Arbitrary<TestVector> Vectors() =>
        (from length in Gen.Frequency((8, Gen.Choose(0, 300)), (1, Gen.Choose(1000, 20000)))
         from kind in Gen.Choose(0, Kinds.Length - 1)
         from seed in Gen.Choose(0, int.MaxValue)
         select Make(Kinds[kind], length, (ulong)seed)).ToArbitrary();

    public static TestVector Make(string kind, int length, ulong seed)
    {
        var random = new DeterministicRandom(seed);
        float[] values = new float[length];
        double scale = Math.Pow(10, (random.NextDouble() * 6) - 3);
        if (kind == "layered")
        {
            for (int start = 0; start < length;)
            {
                int end = Math.Min(length, start + 1 + random.NextInt(Math.Max(1, length / 3)));
                double layerScale = scale * Math.Pow(10, (random.NextDouble() * 4) - 2);
                for (int i = start; i < end; i++)
                {
                    values[i] = (float)(random.NextGaussian() * layerScale);
                }

                start = end;
            }

            return new TestVector(values, kind, seed);
        }

        for (int i = 0; i < length; i++)
        {
            string k = kind == "mixture" ? Kinds[random.NextInt(Kinds.Length - 1)] : kind;
            values[i] = Draw(k, random, scale);
        }

        return new TestVector(values, kind, seed);
    }

    private static float Draw(string kind, DeterministicRandom random, double scale) => kind switch
    {
        "gaussian" or "layered" => (float)(random.NextGaussian() * scale),
        "zeros" => 0f,
        "subnormal" => float.Epsilon * (random.NextInt(2001) - 1000),
        "huge" => (float)((random.NextDouble() - 0.5) * 2 * float.MaxValue),
        "heavy-tailed" => (float)Math.Clamp(random.NextGaussian() / (Math.Abs(random.NextGaussian()) + 1e-3) * scale, -1e30, 1e30),
        _ => random.NextInt(7) - 3,
    };
}
