namespace FedLearn.Privacy.ClientLevel;

/// <summary>The noise source of <see cref="LocalDpEngine"/>.</summary>
public enum LocalNoiseSource
{
    /// <summary>The operating system's cryptographically secure generator (<see cref="Mechanisms.SecureGaussianNoise"/>): for deployments.</summary>
    Secure,

    /// <summary>
    /// A generator seeded with the seed passed to <see cref="IPrivacyEngine.PrivatizeUpdate"/>
    /// (<see cref="Mechanisms.SeededGaussianNoise"/>): reproducible simulations only, as anyone with the seed can remove the noise.
    /// </summary>
    Seeded,
}
