using System.Runtime.InteropServices;

namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>The few GMP entry points Paillier needs (the mpz_* macros of gmp.h resolve to these __gmpz_* symbols).</summary>
internal static unsafe partial class GmpNative
{
    public const string Library = "libgmp.so.10";

    /// <summary>GMP's mpz_t on LP64: allocated limbs, signed used limbs, limb pointer.</summary>
    [StructLayout(LayoutKind.Sequential)]
    public struct Mpz
    {
        public int Alloc;
        public int Size;
        public IntPtr Limbs;
    }

    [LibraryImport(Library, EntryPoint = "__gmpz_init")]
    public static partial void Init(Mpz* value);

    [LibraryImport(Library, EntryPoint = "__gmpz_clear")]
    public static partial void Clear(Mpz* value);

    [LibraryImport(Library, EntryPoint = "__gmpz_import")]
    public static partial void Import(Mpz* target, nuint count, int order, nuint size, int endian, nuint nails, void* source);

    [LibraryImport(Library, EntryPoint = "__gmpz_export")]
    public static partial void* Export(void* target, nuint* count, int order, nuint size, int endian, nuint nails, Mpz* source);

    [LibraryImport(Library, EntryPoint = "__gmpz_sizeinbase")]
    public static partial nuint SizeInBase(Mpz* value, int based);

    [LibraryImport(Library, EntryPoint = "__gmpz_powm")]
    public static partial void Powm(Mpz* result, Mpz* value, Mpz* exponent, Mpz* modulus);

    [LibraryImport(Library, EntryPoint = "__gmpz_mul")]
    public static partial void Mul(Mpz* result, Mpz* left, Mpz* right);

    [LibraryImport(Library, EntryPoint = "__gmpz_mod")]
    public static partial void Mod(Mpz* result, Mpz* value, Mpz* modulus);

    [LibraryImport(Library, EntryPoint = "__gmpz_probab_prime_p")]
    public static partial int ProbablyPrime(Mpz* value, int repetitions);
}
