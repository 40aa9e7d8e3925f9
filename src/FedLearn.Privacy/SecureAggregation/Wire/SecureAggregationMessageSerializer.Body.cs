using System.Numerics;
using FedLearn.Privacy.HomomorphicEncryption;
using FedLearn.Transport;

namespace FedLearn.Privacy.SecureAggregation.Wire;

public sealed partial class SecureAggregationMessageSerializer
{
    private static void WriteBody(object message, WireWriter w)
    {
        switch (message)
        {
            case AdvertiseKeysRequest m:
                w.Int32(m.Round);
                w.Int32(m.ClientIndex);
                SecAggPlusParameters p = m.Parameters;
                w.Int32(p.NumShares);
                w.Int32(p.ReconstructionThreshold);
                w.Double(p.ClippingRange);
                w.Int64(p.QuantizationRange);
                w.Int64(p.Modulus);
                w.Int32(p.MaxWeight);
                w.Int32(p.ModelLength);
                break;
            case AdvertiseKeysReply m:
                w.String(m.ClientId);
                w.Int32(m.Round);
                w.Bytes(m.EncryptionKey);
                w.Bytes(m.MaskingKey);
                break;
            case ShareKeysRequest m:
                w.Int32(m.Round);
                w.Int32(m.Neighbours.Count);
                foreach (NeighbourKeys n in m.Neighbours)
                {
                    w.Int32(n.Index);
                    w.Bytes(n.EncryptionKey);
                    w.Bytes(n.MaskingKey);
                }

                break;
            case ShareKeysReply m:
                w.String(m.ClientId);
                w.Int32(m.Round);
                WriteShares(m.Shares, w);
                break;
            case DeliverSharesRequest m:
                w.Int32(m.Round);
                WriteShares(m.Shares, w);
                break;
            case DeliverSharesReply m:
                w.String(m.ClientId);
                w.Int32(m.Round);
                w.Int32(m.Accepted);
                break;
            case FitReply { Update: { Payload: MaskedUpdatePayload masked } update }:
                WriteUpdateHeader(update, w);
                w.Int32(masked.ElementCount);
                w.Words(masked.Values, masked.BytesPerWord);
                break;
            case UnmaskRequest m:
                w.Int32(m.Round);
                WriteInts(m.Survivors, w);
                WriteInts(m.Dropped, w);
                break;
            case UnmaskReply m:
                w.String(m.ClientId);
                w.Int32(m.Round);
                w.Int32(m.Shares.Count);
                foreach (RevealedShare s in m.Shares)
                {
                    w.Int32(s.Owner);
                    w.Byte((byte)s.Kind);
                    w.Int32(s.Limbs.Length);
                    foreach (ulong limb in s.Limbs)
                    {
                        w.UInt64(limb);
                    }
                }

                break;
            case FitReply { Update: { Payload: EncryptedUpdatePayload encrypted } update }:
                WriteUpdateHeader(update, w);
                w.Int32(encrypted.ElementCount);
                WriteVector(encrypted.Vector, encrypted.CiphertextBytes, w);
                break;
            case DecryptRequest m:
                w.Int32(m.Round);
                WriteVector(m.Sum, m.CiphertextBytes, w);
                break;
            case DecryptReply m:
                w.String(m.ClientId);
                w.Int32(m.Round);
                w.Int32(m.Contributions);
                w.Int32(m.Sums.Length);
                foreach (long value in m.Sums)
                {
                    w.Int64(value);
                }

                break;
        }
    }

    private static object ReadBody(int code, ref WireReader r)
    {
        switch (code)
        {
            case 0:
                int round = r.Int32("round");
                int index = r.Int32("client index");
                var parameters = new SecAggPlusParameters(r.Int32("num shares"), r.Int32("threshold"), r.Double("clipping range"), r.Int64("quantization range"), r.Int64("modulus"), r.Int32("max weight"), r.Int32("model length"));
                return new AdvertiseKeysRequest(round, index, parameters);
            case 1:
                return new AdvertiseKeysReply(r.String("client id"), r.Int32("round"), r.Bytes("encryption key", KeyBytes), r.Bytes("masking key", KeyBytes));
            case 2:
            {
                int round2 = r.Int32("round");
                int count = r.Count("neighbours", 12);
                var neighbours = new NeighbourKeys[count];
                for (int i = 0; i < count; i++)
                {
                    neighbours[i] = new NeighbourKeys(r.Int32("neighbour index"), r.Bytes("encryption key", KeyBytes), r.Bytes("masking key", KeyBytes));
                }

                return new ShareKeysRequest(round2, neighbours);
            }

            case 3:
                return new ShareKeysReply(r.String("client id"), r.Int32("round"), ReadShares(ref r));
            case 4:
                return new DeliverSharesRequest(r.Int32("round"), ReadShares(ref r));
            case 5:
                return new DeliverSharesReply(r.String("client id"), r.Int32("round"), r.Int32("accepted"));
            case 6:
            {
                (string id, int round6, long examples, TrainingMetrics metrics) = ReadUpdateHeader(ref r);
                int elements = r.Int32("element count");
                uint[] words = r.Words("masked words", out int bytesPerWord);
                if (elements < 0 || words.Length != elements + 1)
                {
                    throw new FedLearnFormatException($"masked input: {words.Length} words for {elements} parameters.");
                }

                return new FitReply(new ClientUpdate(id, round6, examples, new MaskedUpdatePayload(words, elements, bytesPerWord), metrics));
            }

            case 7:
                return new UnmaskRequest(r.Int32("round"), ReadInts(ref r, "survivors"), ReadInts(ref r, "dropped"));
            case 8:
            {
                string id = r.String("client id");
                int round8 = r.Int32("round");
                int count = r.Count("revealed shares", 9);
                var shares = new RevealedShare[count];
                for (int i = 0; i < count; i++)
                {
                    int owner = r.Int32("owner");
                    byte kind = r.Byte("share kind");
                    if (kind is not ((byte)ShareKind.SelfMaskSeed or (byte)ShareKind.MaskingKey))
                    {
                        throw new FedLearnFormatException($"revealed share: unknown kind {kind}.");
                    }

                    int limbs = r.Count("limbs", 8, 64);
                    var values = new ulong[limbs];
                    for (int l = 0; l < limbs; l++)
                    {
                        values[l] = r.UInt64("limb");
                    }

                    shares[i] = new RevealedShare(owner, (ShareKind)kind, values);
                }

                return new UnmaskReply(id, round8, shares);
            }

            case 9:
            {
                (string id, int round9, long examples, TrainingMetrics metrics) = ReadUpdateHeader(ref r);
                int elements = r.Int32("element count");
                EncryptedVector vector = ReadVector(ref r, out int ciphertextBytes);
                if (elements < 0 || vector.Length != elements + 1)
                {
                    throw new FedLearnFormatException($"encrypted input: {vector.Length} values for {elements} parameters.");
                }

                return new FitReply(new ClientUpdate(id, round9, examples, new EncryptedUpdatePayload(vector, elements, ciphertextBytes), metrics));
            }

            case 10:
                return new DecryptRequest(r.Int32("round"), ReadVector(ref r, out int bytes), bytes);
            default:
            {
                string id = r.String("client id");
                int round11 = r.Int32("round");
                int contributions = r.Int32("contributions");
                int count = r.Count("sums", 8);
                var sums = new long[count];
                for (int i = 0; i < count; i++)
                {
                    sums[i] = r.Int64("sum");
                }

                return new DecryptReply(id, round11, sums, contributions);
            }
        }
    }

    private static void WriteUpdateHeader(ClientUpdate update, WireWriter w)
    {
        w.String(update.ClientId);
        w.Int32(update.Round);
        w.Int64(update.ExampleCount);
        w.Double(update.Metrics.Loss);
        w.Double(update.Metrics.Accuracy);
        w.Int64(update.Metrics.ExampleCount);
        w.Int64(update.Metrics.Steps);
        w.Int64(update.Metrics.Duration.Ticks);
    }

    private static (string Id, int Round, long Examples, TrainingMetrics Metrics) ReadUpdateHeader(ref WireReader r)
    {
        string id = r.String("client id");
        int round = r.Int32("round");
        long examples = r.Int64("example count");
        var metrics = new TrainingMetrics(r.Double("loss"), r.Double("accuracy"), r.Int64("metric examples"), r.Int64("steps"), TimeSpan.FromTicks(r.Int64("duration")));
        return (id, round, examples, metrics);
    }

    private static void WriteShares(IReadOnlyList<EncryptedShare> shares, WireWriter w)
    {
        w.Int32(shares.Count);
        foreach (EncryptedShare s in shares)
        {
            w.Int32(s.From);
            w.Int32(s.To);
            w.Bytes(s.Ciphertext);
        }
    }

    private static EncryptedShare[] ReadShares(ref WireReader r)
    {
        int count = r.Count("shares", 12);
        var shares = new EncryptedShare[count];
        for (int i = 0; i < count; i++)
        {
            shares[i] = new EncryptedShare(r.Int32("from"), r.Int32("to"), r.Bytes("sealed share", 1024));
        }

        return shares;
    }

    private static void WriteInts(IReadOnlyList<int> values, WireWriter w)
    {
        w.Int32(values.Count);
        foreach (int value in values)
        {
            w.Int32(value);
        }
    }

    private static int[] ReadInts(ref WireReader r, string field)
    {
        int count = r.Count(field, 4);
        var values = new int[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = r.Int32(field);
        }

        return values;
    }

    private static void WriteVector(EncryptedVector vector, int ciphertextBytes, WireWriter w)
    {
        w.Int32(ciphertextBytes);
        w.Int32(vector.Length);
        w.Int32(vector.Contributions);
        w.Int32(vector.Ciphertexts.Length);
        foreach (BigInteger c in vector.Ciphertexts)
        {
            w.BigInteger(c);
        }
    }

    private static EncryptedVector ReadVector(ref WireReader r, out int ciphertextBytes)
    {
        ciphertextBytes = r.Int32("ciphertext bytes");
        if (ciphertextBytes is < 1 or > MaxCiphertextBytes)
        {
            throw new FedLearnFormatException($"encrypted vector: {ciphertextBytes} bytes per ciphertext is outside 1 to {MaxCiphertextBytes}.");
        }

        int length = r.Int32("vector length");
        int contributions = r.Int32("contributions");
        int count = r.Count("ciphertexts", 5);
        if (length < 0 || contributions < 1)
        {
            throw new FedLearnFormatException($"encrypted vector: length {length} or contributions {contributions} is invalid.");
        }

        var ciphertexts = new BigInteger[count];
        for (int i = 0; i < count; i++)
        {
            ciphertexts[i] = r.BigInteger("ciphertext", MaxCiphertextBytes);
        }

        return new EncryptedVector(ciphertexts, length, contributions);
    }
}
