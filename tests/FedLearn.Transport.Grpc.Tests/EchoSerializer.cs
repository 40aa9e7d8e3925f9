using System.Buffers;
using System.Text;

namespace FedLearn.Transport.Grpc.Tests;

/// <summary>A message kind that Core does not know, as another package would add one.</summary>
internal sealed record EchoMessage(string ClientId, int Round, string Text) : ClientMessage(ClientId, Round)
{
    public override long ByteSize => Text.Length;
}

internal sealed class EchoSerializer : IMessageSerializer
{
    public const string Kind = "test.echo.v1";

    public IReadOnlyCollection<string> Kinds { get; } = [Kind];

    public string? GetKind(object message) => message is EchoMessage ? Kind : null;

    public void Write(object message, IBufferWriter<byte> output)
    {
        var echo = (EchoMessage)message;
        byte[] text = Encoding.UTF8.GetBytes($"{echo.ClientId}\n{echo.Round}\n{echo.Text}");
        output.Write(text);
    }

    public object Read(string kind, ReadOnlySequence<byte> payload)
    {
        string[] parts = Encoding.UTF8.GetString(payload.ToArray()).Split('\n', 3);
        if (parts.Length != 3)
        {
            throw new FedLearnFormatException("An echo message has three lines.");
        }

        return new EchoMessage(parts[0], int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture), parts[2]);
    }
}
