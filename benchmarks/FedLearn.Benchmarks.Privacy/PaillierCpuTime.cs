using System.Diagnostics;
using FedLearn.Privacy.HomomorphicEncryption;

namespace FedLearn.Benchmarks.Privacy;

/// <summary>
/// Paillier cost per plaintext value by process CPU time (robust to a machine shared with other work): encryption with
/// fresh randomizers and with precomputed ones, addition and decryption, packed and unpacked, GMP and managed, with a
/// 2048-bit key. Prints one line per configuration.
/// </summary>
internal static class PaillierCpuTime
{
    public static void Run(int ciphertexts)
    {
        PaillierPrivateKey key = PaillierPrivateKey.Generate(2048);
        foreach (IBigIntegerMath math in new IBigIntegerMath[] { new GmpBigIntegerMath(), ManagedBigIntegerMath.Instance })
        {
            foreach (bool packing in new[] { true, false })
            {
                using var scheme = new PaillierScheme(key, new PaillierOptions { Packing = packing }, math);
                long[] values = Enumerable.Range(0, ciphertexts * scheme.ValuesPerCiphertext).Select(i => (long)(i * 7919L % scheme.MaxValue)).ToArray();
                double fresh = PerValue(() => scheme.Encrypt(values), values.Length);
                scheme.Precompute(ciphertexts * 4);
                double pooled = PerValue(() => { for (int i = 0; i < 4; i++) { scheme.Encrypt(values); } }, 4 * values.Length);
                EncryptedVector encrypted = scheme.Encrypt(values);
                double add = PerValue(() => { for (int i = 0; i < 16; i++) { scheme.Add(encrypted, encrypted); } }, 16 * values.Length);
                var back = new long[values.Length];
                double decrypt = PerValue(() => scheme.Decrypt(encrypted, back), values.Length);
                Console.WriteLine($"{scheme.Name,-28} {scheme.ValuesPerCiphertext,3} values/ciphertext  CPU per value: encrypt fresh r^n {fresh,10:F1} µs, encrypt precomputed r^n {pooled,8:F2} µs, add {add,8:F3} µs, decrypt {decrypt,9:F1} µs (pool misses {scheme.RandomizerMisses})");
            }
        }
    }

    private static double PerValue(Action action, int values)
    {
        TimeSpan before = Process.GetCurrentProcess().TotalProcessorTime;
        action();
        return (Process.GetCurrentProcess().TotalProcessorTime - before).TotalMicroseconds / values;
    }
}
