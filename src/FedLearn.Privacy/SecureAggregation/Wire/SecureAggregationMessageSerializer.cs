using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation.Wire;

/// <summary>
/// Writes and reads the message kinds of SecAgg+ and Paillier aggregation for transports that cross a process boundary,
/// including the training reply whose payload is a masked or encrypted update. Each message is a 14-byte header
/// (magic <c>FLSA</c>, format version, body length, CRC-32 of the body) and a little-endian body; every count in the
/// body is checked against the bytes left before anything is allocated. Thread-safe (no state).
/// </summary>
public sealed partial class SecureAggregationMessageSerializer : IMessageSerializer
{
    /// <summary>Format version written and accepted.</summary>
    public const byte Version = 1;

    private const int HeaderBytes = 4 + 1 + 1 + 4 + 4;
    private const int KeyBytes = KeyAgreement.PublicKeyBytes;
    private const int MaxCiphertextBytes = 3072 / 4 + 16;
    private static ReadOnlySpan<byte> Magic => "FLSA"u8;

    private static readonly string[] KindNames =
    [
        "secagg.advertise-keys-request.v1",
        "secagg.advertise-keys-reply.v1",
        "secagg.share-keys-request.v1",
        "secagg.share-keys-reply.v1",
        "secagg.deliver-shares-request.v1",
        "secagg.deliver-shares-reply.v1",
        "secagg.masked-input.v1",
        "secagg.unmask-request.v1",
        "secagg.unmask-reply.v1",
        "paillier.encrypted-input.v1",
        "paillier.decrypt-request.v1",
        "paillier.decrypt-reply.v1",
    ];

    /// <inheritdoc />
    public IReadOnlyCollection<string> Kinds => KindNames;

    /// <inheritdoc />
    public string? GetKind(object message)
    {
        int code = CodeOf(message);
        return code < 0 ? null : KindNames[code];
    }

    /// <inheritdoc />
    public void Write(object message, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(output);
        int code = CodeOf(message);
        if (code < 0)
        {
            throw new ArgumentException($"{message.GetType().Name} is not a secure-aggregation message.", nameof(message));
        }

        var body = new WireWriter();
        WriteBody(message, body);
        ReadOnlySpan<byte> bytes = body.Written;
        Span<byte> header = output.GetSpan(HeaderBytes);
        Magic.CopyTo(header);
        header[4] = Version;
        header[5] = (byte)code;
        BinaryPrimitives.WriteInt32LittleEndian(header[6..], bytes.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[10..], Crc32.HashToUInt32(bytes));
        output.Advance(HeaderBytes);
        output.Write(bytes);
    }

    /// <inheritdoc />
    public object Read(string kind, ReadOnlySequence<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(kind);
        int code = Array.IndexOf(KindNames, kind);
        if (code < 0)
        {
            throw new FedLearnFormatException($"unknown message kind '{kind}'.");
        }

        if (payload.Length < HeaderBytes)
        {
            throw new FedLearnFormatException($"{kind}: {payload.Length} bytes is shorter than the {HeaderBytes}-byte header.");
        }

        byte[] buffer = payload.ToArray();
        ReadOnlySpan<byte> span = buffer;
        if (!span[..4].SequenceEqual(Magic) || span[4] != Version || span[5] != code)
        {
            throw new FedLearnFormatException($"{kind}: bad header (magic, version {span[4]} or kind code {span[5]}).");
        }

        int length = BinaryPrimitives.ReadInt32LittleEndian(span[6..]);
        ReadOnlySpan<byte> body = span[HeaderBytes..];
        if (length != body.Length)
        {
            throw new FedLearnFormatException($"{kind}: the header announces {length} body bytes but {body.Length} follow.");
        }

        if (Crc32.HashToUInt32(body) != BinaryPrimitives.ReadUInt32LittleEndian(span[10..]))
        {
            throw new FedLearnFormatException($"{kind}: checksum mismatch; the message was corrupted.");
        }

        var reader = new WireReader(body);
        object message = ReadBody(code, ref reader);
        reader.End(kind);
        return message;
    }

    private static int CodeOf(object message) => message switch
    {
        AdvertiseKeysRequest => 0,
        AdvertiseKeysReply => 1,
        ShareKeysRequest => 2,
        ShareKeysReply => 3,
        DeliverSharesRequest => 4,
        DeliverSharesReply => 5,
        FitReply { Update.Payload: MaskedUpdatePayload } => 6,
        UnmaskRequest => 7,
        UnmaskReply => 8,
        FitReply { Update.Payload: EncryptedUpdatePayload } => 9,
        DecryptRequest => 10,
        DecryptReply => 11,
        _ => -1,
    };
}
