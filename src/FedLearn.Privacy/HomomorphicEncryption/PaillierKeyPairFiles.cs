namespace FedLearn.Privacy.HomomorphicEncryption;

/// <summary>Where <see cref="PaillierKeyFile.CreateDevelopmentPair"/> wrote a federation's Paillier key pair.</summary>
/// <param name="Directory">The folder.</param>
/// <param name="Fingerprint">The pair's <see cref="PaillierPublicKey.Fingerprint"/>.</param>
public sealed record PaillierKeyPairFiles(string Directory, string Fingerprint)
{
    /// <summary>The public key (<see cref="PaillierKeyFile.PublicKeyFormat"/>): all the server gets.</summary>
    public string PublicKeyPath => Path.Combine(Directory, "paillier.pub.json");

    /// <summary>The secret key (<see cref="PaillierKeyFile.SecretKeyFormat"/>, owner-only on Unix): every client gets it, the server never.</summary>
    public string SecretKeyPath => Path.Combine(Directory, "paillier.key.json");
}
