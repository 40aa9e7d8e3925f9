using System.Buffers;
using System.Text.Json;
using FedLearn.Transport;

namespace FedLearn.Samples.Shared.Pipeline;

/// <summary>Carries <see cref="PipelineOffer"/> and <see cref="PipelineAnswer"/> over the gRPC transport as small JSON documents.</summary>
internal sealed class PipelineMessageSerializer : IMessageSerializer
{
    public const string OfferKind = "fedlearn-samples.pipeline-offer.v1";
    public const string AnswerKind = "fedlearn-samples.pipeline-answer.v1";

    /// <summary>Both messages are a few hundred bytes; anything much larger is not one of them.</summary>
    private const int MaxBytes = 64 * 1024;

    public IReadOnlyCollection<string> Kinds { get; } = [OfferKind, AnswerKind];

    public string? GetKind(object message) => message switch
    {
        PipelineOffer => OfferKind,
        PipelineAnswer => AnswerKind,
        _ => null,
    };

    public void Write(object message, IBufferWriter<byte> output)
    {
        using var writer = new Utf8JsonWriter(output);
        switch (message)
        {
            case PipelineOffer offer:
                JsonSerializer.Serialize(writer, offer);
                break;
            case PipelineAnswer answer:
                JsonSerializer.Serialize(writer, answer);
                break;
            default:
                throw new ArgumentException($"{message.GetType().Name} is not a pipeline message.", nameof(message));
        }
    }

    public object Read(string kind, ReadOnlySequence<byte> payload)
    {
        if (payload.Length > MaxBytes)
        {
            throw new FedLearnFormatException($"a {kind} message of {payload.Length} bytes exceeds the {MaxBytes} bytes such a message can take.");
        }

        var reader = new Utf8JsonReader(payload);
        try
        {
            object? message = kind switch
            {
                OfferKind => JsonSerializer.Deserialize<PipelineOffer>(ref reader),
                AnswerKind => JsonSerializer.Deserialize<PipelineAnswer>(ref reader),
                _ => throw new FedLearnFormatException($"'{kind}' is not a pipeline message kind."),
            };
            return message switch
            {
                PipelineOffer { SecureAggregation: not null, Dp: not null } offer => offer,
                PipelineAnswer { ClientId: not null, SecureAggregation: not null, Dp: not null } answer => answer,
                _ => throw new FedLearnFormatException($"the {kind} message lacks a required field."),
            };
        }
        catch (JsonException exception)
        {
            throw new FedLearnFormatException($"the {kind} message is not valid JSON: {exception.Message}");
        }
    }
}
