using System.Security.Cryptography.X509Certificates;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>
/// A certificate with its private key, read from PEM files and read again when a file changes on disk, so a renewed
/// certificate is used by the next TLS handshake without a restart. The files are checked at most once per
/// <c>checkInterval</c>. A renewal that cannot be read keeps the previous certificate. Thread-safe.
/// </summary>
public sealed class ReloadingCertificate : IDisposable
{
    private readonly string _certificatePath;
    private readonly string? _keyPath;
    private readonly TimeSpan _checkInterval;
    private readonly Lock _gate = new();
    private X509Certificate2 _current;
    private DateTime _certificateWritten;
    private DateTime _keyWritten;
    private long _nextCheckTicks;

    /// <summary>Loads the certificate now.</summary>
    /// <param name="certificatePath">PEM certificate (may hold the chain after it).</param>
    /// <param name="keyPath">PEM private key; <see langword="null"/> when it is in <paramref name="certificatePath"/>.</param>
    /// <param name="checkInterval">Least time between two checks of the files.</param>
    /// <exception cref="FileNotFoundException">A file is missing.</exception>
    /// <exception cref="System.Security.Cryptography.CryptographicException">A file is not a valid PEM certificate or key.</exception>
    public ReloadingCertificate(string certificatePath, string? keyPath, TimeSpan checkInterval)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certificatePath);
        _certificatePath = certificatePath;
        _keyPath = keyPath;
        _checkInterval = checkInterval;
        _current = Load();
        (_certificateWritten, _keyWritten) = Stamps();
        _nextCheckTicks = Environment.TickCount64 + (long)checkInterval.TotalMilliseconds;
    }

    /// <summary>Raised after a changed certificate was loaded.</summary>
    public event EventHandler<X509Certificate2>? Reloaded;

    /// <summary>The certificate to use now; reads the files again first when they changed.</summary>
    public X509Certificate2 Current
    {
        get
        {
            if (Environment.TickCount64 < Interlocked.Read(ref _nextCheckTicks))
            {
                return _current;
            }

            X509Certificate2? reloaded = null;
            lock (_gate)
            {
                _nextCheckTicks = Environment.TickCount64 + (long)_checkInterval.TotalMilliseconds;
                (DateTime certificateWritten, DateTime keyWritten) = Stamps();
                if (certificateWritten != _certificateWritten || keyWritten != _keyWritten)
                {
                    try
                    {
                        reloaded = Load();
                        _current = reloaded;
                        (_certificateWritten, _keyWritten) = (certificateWritten, keyWritten);
                    }
                    catch (Exception exception) when (exception is IOException or System.Security.Cryptography.CryptographicException or UnauthorizedAccessException)
                    {
                        // Half-written files: keep the current certificate and try again at the next check.
                        reloaded = null;
                    }
                }
            }

            if (reloaded is not null)
            {
                Reloaded?.Invoke(this, reloaded);
            }

            return _current;
        }
    }

    /// <inheritdoc />
    public void Dispose() => _current.Dispose();

    private (DateTime Certificate, DateTime Key) Stamps() =>
        (File.GetLastWriteTimeUtc(_certificatePath), _keyPath is null ? default : File.GetLastWriteTimeUtc(_keyPath));

    private X509Certificate2 Load()
    {
        using X509Certificate2 pem = X509Certificate2.CreateFromPemFile(_certificatePath, _keyPath);
        // Re-importing gives a key every platform's TLS stack accepts (keys read from PEM are ephemeral).
        return X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), password: null);
    }
}
