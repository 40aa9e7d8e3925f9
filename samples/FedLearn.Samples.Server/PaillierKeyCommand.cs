using System.Globalization;
using FedLearn.Privacy.HomomorphicEncryption;

namespace FedLearn.Samples.Server;

/// <summary>
/// <c>paillier-keys --out keys [--bits 2048] [--allow-insecure-key-size-for-testing]</c>: creates a Paillier key pair for <c>--secure-aggregation paillier:&lt;bits&gt;</c>,
/// as <c>certs</c> creates the federation's certificates: <c>paillier.pub.json</c> for the server
/// (<c>--paillier-public-key</c>) and <c>paillier.key.json</c> (owner-only) for every client (<c>--paillier-secret-key</c>).
/// </summary>
internal static class PaillierKeyCommand
{
    public static int Run(string[] args)
    {
        string output = "keys";
        int bits = PaillierDefaults.KeyBits;
        bool insecure = false;
        for (int i = 0; i < args.Length; i++)
        {
            if (args[i] == "--allow-insecure-key-size-for-testing")
            {
                insecure = true;
                continue;
            }

            string value = i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--out": output = value; break;
                case "--bits": bits = int.Parse(value, CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"Unknown option {args[i]}; use --out, --bits, --allow-insecure-key-size-for-testing.");
            }

            i++;
        }

        if (bits is not (2048 or 3072) && !(insecure && bits >= 512 && bits % 2 == 0))
        {
            throw new ArgumentException($"--bits must be 2048 or 3072 (what paillier:<bits> accepts; even sizes from 512 with --allow-insecure-key-size-for-testing), got {bits}.");
        }

        PaillierKeyPairFiles files = PaillierKeyFile.CreateDevelopmentPair(output, bits);
        Console.WriteLine($"public key: {files.PublicKeyPath} (the server's --paillier-public-key)");
        Console.WriteLine($"secret key: {files.SecretKeyPath} (every client's --paillier-secret-key; keep it off the server)");
        Console.WriteLine($"fingerprint: {files.Fingerprint}");
        return 0;
    }
}
