using System.Buffers.Binary;
using System.Net.Security;
using System.Security.Cryptography;

namespace FedLearn.Benchmarks.Transport.Throughput;

/// <summary>
/// The record protection of TLS 1.3 without a socket: each 16 KiB record (the largest TLS allows) is encrypted with
/// AES-GCM under a per-record nonce and a 5-byte record header as associated data, then decrypted and its tag checked,
/// as the sending and the receiving side of a TLS connection each do once. A floor: no copy into a record buffer, no
/// content-type byte, no framing. Not thread-safe.
/// </summary>
internal sealed class RecordCipher : IDisposable
{
    /// <summary>Largest TLS record payload.</summary>
    public const int RecordBytes = 16 << 10;

    private const int TagBytes = 16;
    private readonly AesGcm _aes;
    private readonly byte[] _cipherText = new byte[RecordBytes];
    private readonly byte[] _plainText = new byte[RecordBytes];
    private readonly byte[] _tag = new byte[TagBytes];
    private readonly byte[] _nonce = new byte[12];
    private readonly byte[] _header = [23, 3, 3, 0, 0];
    private ulong _sequence;

    /// <param name="suite">TLS_AES_256_GCM_SHA384 or TLS_AES_128_GCM_SHA256: the key size follows it.</param>
    public RecordCipher(TlsCipherSuite suite)
    {
        int keyBytes = suite switch
        {
            TlsCipherSuite.TLS_AES_256_GCM_SHA384 => 32,
            TlsCipherSuite.TLS_AES_128_GCM_SHA256 => 16,
            _ => throw new NotSupportedException($"The TLS stream negotiated {suite}, not an AES-GCM suite; this case measures AES-GCM only."),
        };
        _aes = new AesGcm(RandomNumberGenerator.GetBytes(keyBytes), TagBytes);
    }

    /// <summary>Encrypts and decrypts <paramref name="data"/> record by record.</summary>
    public void EncryptThenDecrypt(ReadOnlySpan<byte> data)
    {
        for (int offset = 0; offset < data.Length; offset += RecordBytes)
        {
            ReadOnlySpan<byte> record = data.Slice(offset, Math.Min(RecordBytes, data.Length - offset));
            int length = record.Length;
            BinaryPrimitives.WriteUInt64BigEndian(_nonce.AsSpan(4), _sequence++);
            BinaryPrimitives.WriteUInt16BigEndian(_header.AsSpan(3), (ushort)(length + TagBytes));
            _aes.Encrypt(_nonce, record, _cipherText.AsSpan(0, length), _tag, _header);
            _aes.Decrypt(_nonce, _cipherText.AsSpan(0, length), _tag, _plainText.AsSpan(0, length), _header);
        }
    }

    public void Dispose() => _aes.Dispose();
}
