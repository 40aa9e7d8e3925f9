using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;

namespace FedLearn.Transport.Grpc.Security;

/// <summary>
/// Binds a client id to a certificate: the id is carried as the URI subject alternative name
/// <c>urn:fedlearn:client:&lt;id&gt;</c> (and, for readability, as the subject's common name). The URI wins; a
/// certificate without it falls back to the common name.
/// </summary>
public static class ClientCertificateIdentity
{
    /// <summary>The URI prefix of a client id in a certificate's subject alternative names.</summary>
    public const string UriPrefix = "urn:fedlearn:client:";

    /// <summary>The URI that carries <paramref name="clientId"/>.</summary>
    public static string ToUri(string clientId) => UriPrefix + clientId;

    /// <summary>The client id a certificate carries, or <see langword="null"/> when it carries none.</summary>
    public static string? GetClientId(X509Certificate2 certificate)
    {
        ArgumentNullException.ThrowIfNull(certificate);
        foreach (X509Extension extension in certificate.Extensions)
        {
            if (extension.Oid?.Value != "2.5.29.17")
            {
                continue;
            }

            foreach (string uri in ReadUris(extension.RawData))
            {
                if (uri.StartsWith(UriPrefix, StringComparison.Ordinal) && uri.Length > UriPrefix.Length)
                {
                    return uri[UriPrefix.Length..];
                }
            }
        }

        string name = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrWhiteSpace(name) ? null : name;
    }

    private static List<string> ReadUris(byte[] rawData)
    {
        var uris = new List<string>();
        try
        {
            var reader = new AsnReader(rawData, AsnEncodingRules.DER);
            AsnReader names = reader.ReadSequence();
            var uriTag = new Asn1Tag(TagClass.ContextSpecific, 6);
            while (names.HasData)
            {
                Asn1Tag tag = names.PeekTag();
                if (tag == uriTag)
                {
                    uris.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, uriTag));
                }
                else
                {
                    names.ReadEncodedValue();
                }
            }
        }
        catch (AsnContentException)
        {
            // A malformed extension carries no id.
        }

        return uris;
    }
}
