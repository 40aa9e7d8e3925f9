using FedLearn.Transport.Grpc.Protocol;
using Google.Protobuf.Collections;

namespace FedLearn.Transport.Grpc.Framing;

/// <summary>
/// Maps Core's message kinds to their protobuf headers and bodies, and any other kind to an extension header whose
/// body is written by the registered <see cref="IMessageSerializer"/> for it. Thread-safe.
/// </summary>
internal sealed class MessageEncoder
{
    private readonly IMessageSerializer[] _serializers;

    public MessageEncoder(IEnumerable<IMessageSerializer>? serializers)
    {
        _serializers = serializers?.ToArray() ?? [];
    }

    /// <exception cref="NotSupportedException">No serializer knows the message kind.</exception>
    public OutgoingMessage Encode(ServerMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var start = new MessageStart { Round = message.Round };
        switch (message)
        {
            case FitInstruction fit:
                start.FitInstruction = new FitInstructionHeader { Layout = ToLayout(fit.Weights), Config = ToProto(fit.Config) };
                return OutgoingMessage.WithFloats(start, fit.Weights.Values);
            case EvaluateInstruction evaluate:
                start.EvaluateInstruction = new EvaluateInstructionHeader { Layout = ToLayout(evaluate.Weights) };
                return OutgoingMessage.WithFloats(start, evaluate.Weights.Values);
            default:
                return EncodeExtension(start, message, clientId: string.Empty);
        }
    }

    /// <exception cref="NotSupportedException">No serializer knows the message kind or payload.</exception>
    public OutgoingMessage Encode(ClientMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var start = new MessageStart { Round = message.Round };
        switch (message)
        {
            case FitReply { Update.Payload: DenseUpdatePayload or EncodedUpdatePayload } fit:
                ClientUpdate update = fit.Update;
                var header = new FitReplyHeader
                {
                    ClientId = update.ClientId,
                    ExampleCount = update.ExampleCount,
                    ElementCount = update.Payload.ElementCount,
                    Metrics = new Protocol.TrainingMetrics
                    {
                        Loss = update.Metrics.Loss,
                        Accuracy = update.Metrics.Accuracy,
                        ExampleCount = update.Metrics.ExampleCount,
                        Steps = update.Metrics.Steps,
                        DurationTicks = update.Metrics.Duration.Ticks,
                    },
                };
                start.FitReply = header;
                if (update.Payload is DenseUpdatePayload dense)
                {
                    header.PayloadKind = PayloadKind.Dense;
                    return OutgoingMessage.WithFloats(start, dense.Values);
                }

                header.PayloadKind = PayloadKind.Encoded;
                return OutgoingMessage.WithBytes(start, ((EncodedUpdatePayload)update.Payload).Bytes);
            case EvaluateReply evaluate:
                start.EvaluateReply = new EvaluateReplyHeader
                {
                    ClientId = evaluate.ClientId,
                    Metrics = new Protocol.EvaluationMetrics { Loss = evaluate.Metrics.Loss, Accuracy = evaluate.Metrics.Accuracy, ExampleCount = evaluate.Metrics.ExampleCount },
                };
                return OutgoingMessage.Empty(start);
            case ErrorReply error:
                start.ErrorReply = new ErrorReplyHeader { ClientId = error.ClientId, Error = error.Error };
                return OutgoingMessage.Empty(start);
            default:
                return EncodeExtension(start, message, message.ClientId);
        }
    }

    private OutgoingMessage EncodeExtension(MessageStart start, object message, string clientId)
    {
        foreach (IMessageSerializer serializer in _serializers)
        {
            if (serializer.GetKind(message) is { } kind)
            {
                var buffer = new System.Buffers.ArrayBufferWriter<byte>();
                serializer.Write(message, buffer);
                start.Extension = new ExtensionHeader { Kind = kind, ClientId = clientId };
                return OutgoingMessage.WithBytes(start, buffer.WrittenMemory);
            }
        }

        string detail = message is FitReply reply ? $"FitReply with a {reply.Update.Payload.GetType().Name}" : message.GetType().Name;
        throw new NotSupportedException($"No registered IMessageSerializer writes {detail}; register the serializer of the package that adds it.");
    }

    private static Protocol.FitConfig ToProto(FedLearn.FitConfig config) => new()
    {
        LocalEpochs = config.LocalEpochs,
        BatchSize = config.BatchSize,
        LearningRate = config.LearningRate,
        ProximalMu = config.ProximalMu,
        Seed = config.Seed,
    };

    private static ModelLayout ToLayout(ModelWeights weights)
    {
        var layout = new ModelLayout();
        RepeatedField<TensorSpec> tensors = layout.Tensors;
        foreach (TensorInfo info in weights.Tensors)
        {
            var spec = new TensorSpec { Name = info.Name };
            spec.Shape.AddRange(info.Shape);
            tensors.Add(spec);
        }

        return layout;
    }
}
