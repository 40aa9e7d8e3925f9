using System.Numerics;
using System.Runtime.InteropServices;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>
/// Big-integer math in GMP (libgmp.so.10, called through P/Invoke), converting from and to <see cref="BigInteger"/> at
/// each call. Use <see cref="IsAvailable"/> before creating one, or <see cref="BigIntegerMath.Best"/>. Thread-safe
/// (every call works on its own GMP integers).
/// </summary>
public sealed unsafe class GmpBigIntegerMath : IBigIntegerMath
{
    private static readonly Lazy<bool> Available = new(Probe);

    /// <summary>Creates the GMP backend.</summary>
    /// <exception cref="DllNotFoundException">GMP is not installed (Debian/Ubuntu: package libgmp10).</exception>
    public GmpBigIntegerMath()
    {
        if (!IsAvailable)
        {
            throw new DllNotFoundException($"GMP ({GmpNative.Library}) could not be loaded; install libgmp10 (eng/install-prereqs.sh) or use ManagedBigIntegerMath.");
        }
    }

    /// <summary>Whether GMP can be loaded on this machine.</summary>
    public static bool IsAvailable => Available.Value;

    /// <inheritdoc />
    public string Name => "gmp";

    /// <inheritdoc />
    public BigInteger ModPow(BigInteger value, BigInteger exponent, BigInteger modulus)
    {
        GmpNative.Mpz* z = stackalloc GmpNative.Mpz[4];
        Init(z, 4);
        try
        {
            Import(&z[0], value);
            Import(&z[1], exponent);
            Import(&z[2], modulus);
            GmpNative.Powm(&z[3], &z[0], &z[1], &z[2]);
            return Export(&z[3]);
        }
        finally
        {
            Clear(z, 4);
        }
    }

    /// <inheritdoc />
    public BigInteger ModMultiply(BigInteger left, BigInteger right, BigInteger modulus)
    {
        GmpNative.Mpz* z = stackalloc GmpNative.Mpz[4];
        Init(z, 4);
        try
        {
            Import(&z[0], left);
            Import(&z[1], right);
            Import(&z[2], modulus);
            GmpNative.Mul(&z[3], &z[0], &z[1]);
            GmpNative.Mod(&z[0], &z[3], &z[2]);
            return Export(&z[0]);
        }
        finally
        {
            Clear(z, 4);
        }
    }

    /// <inheritdoc />
    public bool IsProbablePrime(BigInteger candidate)
    {
        if (candidate < 2)
        {
            return false;
        }

        GmpNative.Mpz z;
        GmpNative.Init(&z);
        try
        {
            Import(&z, candidate);
            return GmpNative.ProbablyPrime(&z, 40) != 0;
        }
        finally
        {
            GmpNative.Clear(&z);
        }
    }

    private static void Init(GmpNative.Mpz* z, int count)
    {
        for (int i = 0; i < count; i++)
        {
            GmpNative.Init(&z[i]);
        }
    }

    private static void Clear(GmpNative.Mpz* z, int count)
    {
        for (int i = 0; i < count; i++)
        {
            GmpNative.Clear(&z[i]);
        }
    }

    private static void Import(GmpNative.Mpz* target, BigInteger value)
    {
        if (value.Sign < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "GMP conversions take non-negative integers only.");
        }

        int count = value.GetByteCount(isUnsigned: true);
        Span<byte> bytes = count <= 1024 ? stackalloc byte[count] : new byte[count];
        value.TryWriteBytes(bytes, out int written, isUnsigned: true, isBigEndian: false);
        fixed (byte* pointer = bytes)
        {
            // Least significant byte first, one byte per word, no nails.
            GmpNative.Import(target, (nuint)written, -1, 1, 0, 0, pointer);
        }
    }

    private static BigInteger Export(GmpNative.Mpz* source)
    {
        if (source->Size == 0)
        {
            return BigInteger.Zero;
        }

        int count = (int)((GmpNative.SizeInBase(source, 2) + 7) / 8);
        Span<byte> bytes = count <= 1024 ? stackalloc byte[count] : new byte[count];
        nuint written;
        fixed (byte* pointer = bytes)
        {
            GmpNative.Export(pointer, &written, -1, 1, 0, 0, source);
        }

        return new BigInteger(bytes[..(int)written], isUnsigned: true, isBigEndian: false);
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux() || !NativeLibrary.TryLoad(GmpNative.Library, out IntPtr handle))
        {
            return false;
        }

        bool ok = NativeLibrary.TryGetExport(handle, "__gmpz_powm", out _);
        NativeLibrary.Free(handle);
        return ok;
    }
}
