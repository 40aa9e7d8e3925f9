using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>
/// The federation's certificate authority, read from a PEM file (and read again when it changes): a peer's
/// certificate is trusted only when it chains to this CA, is within its validity period and is meant for its role
/// (client or server authentication). The system's trusted roots play no part. Thread-safe.
/// </summary>
public sealed class FederationTrust
{
    /// <summary>The TLS client authentication usage.</summary>
    public const string ClientAuthenticationOid = "1.3.6.1.5.5.7.3.2";

    /// <summary>The TLS server authentication usage.</summary>
    public const string ServerAuthenticationOid = "1.3.6.1.5.5.7.3.1";

    private readonly string _caPath;
    private readonly TimeSpan _checkInterval;
    private readonly Lock _gate = new();
    private X509Certificate2Collection _roots;
    private DateTime _written;
    private long _nextCheckTicks;

    /// <summary>Loads the CA certificate(s) now.</summary>
    /// <param name="caPath">PEM file with one or more CA certificates.</param>
    /// <param name="checkInterval">Least time between two checks of the file for changes.</param>
    /// <exception cref="CryptographicException">The file holds no certificate.</exception>
    public FederationTrust(string caPath, TimeSpan checkInterval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(caPath);
        _caPath = caPath;
        _checkInterval = checkInterval;
        _roots = Load(caPath);
        _written = File.GetLastWriteTimeUtc(caPath);
        _nextCheckTicks = Environment.TickCount64 + (long)checkInterval.TotalMilliseconds;
    }

    /// <summary>Checks <paramref name="certificate"/> against the CA for the given usage.</summary>
    /// <param name="certificate">The peer's certificate.</param>
    /// <param name="usageOid"><see cref="ClientAuthenticationOid"/> or <see cref="ServerAuthenticationOid"/>.</param>
    /// <param name="error">Why it is not trusted, in words.</param>
    /// <returns>True when trusted.</returns>
    public bool Validate(X509Certificate2 certificate, string usageOid, out string? error)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(Roots);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.ApplicationPolicy.Add(new Oid(usageOid));
        chain.ChainPolicy.VerificationTime = DateTime.Now;
        if (chain.Build(certificate))
        {
            error = null;
            return true;
        }

        error = $"certificate '{certificate.Subject}' (valid {certificate.NotBefore:u} to {certificate.NotAfter:u}) is not trusted: "
            + string.Join("; ", chain.ChainStatus.Select(s => $"{s.Status}: {s.StatusInformation.Trim()}"));
        return false;
    }

    private X509Certificate2Collection Roots
    {
        get
        {
            if (Environment.TickCount64 < Interlocked.Read(ref _nextCheckTicks))
            {
                return _roots;
            }

            lock (_gate)
            {
                _nextCheckTicks = Environment.TickCount64 + (long)_checkInterval.TotalMilliseconds;
                DateTime written = File.GetLastWriteTimeUtc(_caPath);
                if (written != _written)
                {
                    try
                    {
                        _roots = Load(_caPath);
                        _written = written;
                    }
                    catch (Exception exception) when (exception is IOException or CryptographicException or UnauthorizedAccessException)
                    {
                        // Keep trusting the CA read before until the file is complete.
                    }
                }

                return _roots;
            }
        }
    }

    private static X509Certificate2Collection Load(string path)
    {
        var roots = new X509Certificate2Collection();
        roots.ImportFromPemFile(path);
        if (roots.Count == 0)
        {
            throw new CryptographicException($"'{path}' holds no certificate.");
        }

        return roots;
    }
}
