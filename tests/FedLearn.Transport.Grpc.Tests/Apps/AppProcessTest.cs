using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Transport.Grpc.Security;

namespace FedLearn.Transport.Grpc.Tests.Apps;

/// <summary>
/// What the tests that run the server and client apps as processes share: a fresh temporary folder per test, deleted
/// afterwards, and (created on first use) development certificates for <c>localhost</c> and three clients, and a
/// Paillier key pair, in it.
/// </summary>
/// <param name="prefix">Prefix of the temporary folder's name.</param>
/// <param name="needsData">Whether the test is ignored when Fashion-MNIST is not installed.</param>
public abstract class AppProcessTest(string prefix, bool needsData = true)
{
    /// <summary>How long a test waits for a process or a log line.</summary>
    protected static readonly TimeSpan Patience = TimeSpan.FromMinutes(3);

    private DevelopmentCertificates? _certificates;
    private PaillierKeyPairFiles? _paillierKeys;

    /// <summary>The test's temporary folder.</summary>
    protected string WorkDirectory { get; private set; } = string.Empty;

    /// <summary>A CA, a server certificate for localhost and certificates for client-0, client-1 and client-2.</summary>
    protected DevelopmentCertificates Certificates => _certificates ??= FederationCertificates.CreateDevelopmentSet(
        Path.Combine(WorkDirectory, "certs"), ["localhost"], ["client-0", "client-1", "client-2"], TimeSpan.FromDays(1));

    /// <summary>
    /// A 512-bit Paillier key pair in <c>keys/</c>: the smallest size the library allows, so that a test federation
    /// encrypts the MLP in seconds rather than minutes; the apps accept it only with
    /// <c>--allow-insecure-paillier-key-size-for-testing true</c> (<see cref="InsecurePaillierKeySize"/>).
    /// </summary>
    protected PaillierKeyPairFiles PaillierKeys => _paillierKeys ??= PaillierKeyFile.CreateDevelopmentPair(Path.Combine(WorkDirectory, "keys"), TestPaillierKeyBits);

    /// <summary>The size of <see cref="PaillierKeys"/>.</summary>
    protected const int TestPaillierKeyBits = 512;

    /// <summary>The app options that accept <see cref="PaillierKeys"/>' size.</summary>
    protected static readonly string[] InsecurePaillierKeySize = ["--allow-insecure-paillier-key-size-for-testing", "true"];

    /// <summary>Creates the temporary folder, or ignores the test when it needs Fashion-MNIST and it is missing.</summary>
    [SetUp]
    public void CreateWorkDirectory()
    {
        if (needsData && !Directory.Exists("/usr/share/datasets/fashion-mnist") && Environment.GetEnvironmentVariable("FEDLEARN_DATA") is null)
        {
            Assert.Ignore("Fashion-MNIST is not installed.");
        }

        _certificates = null;
        _paillierKeys = null;
        WorkDirectory = Directory.CreateTempSubdirectory(prefix).FullName;
    }

    /// <summary>Deletes the temporary folder.</summary>
    [TearDown]
    public void DeleteWorkDirectory()
    {
        try
        {
            Directory.Delete(WorkDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a process that has not let go of a file leaves it to the system's clean-up.
        }
    }
}
