using System.Buffers;
using FedLearn.Transport.Grpc.Protocol;
using Grpc.Core;

namespace FedLearn.Transport.Grpc.Framing;

internal sealed partial class MessageAssembler
{
    private void Allocate(Pending pending)
    {
        MessageStart start = pending.Start;
        long length = pending.Length;
        ulong id = start.ExchangeId;
        switch (start.HeaderCase)
        {
            case MessageStart.HeaderOneofCase.FitInstruction when !_receivesReplies:
                RequireLayout(start.FitInstruction.Layout, length, id);
                RequireConfig(start.FitInstruction.Config, id);
                pending.Floats = GC.AllocateUninitializedArray<float>((int)(length / sizeof(float)));
                break;
            case MessageStart.HeaderOneofCase.EvaluateInstruction when !_receivesReplies:
                RequireLayout(start.EvaluateInstruction.Layout, length, id);
                pending.Floats = GC.AllocateUninitializedArray<float>((int)(length / sizeof(float)));
                break;
            case MessageStart.HeaderOneofCase.FitReply when _receivesReplies:
                FitReplyHeader reply = start.FitReply;
                if (reply.ElementCount < 0)
                {
                    throw Violation(StatusCode.InvalidArgument, $"exchange {id} declares a negative element count ({reply.ElementCount}).");
                }

                if (reply.PayloadKind == PayloadKind.Dense)
                {
                    if (length != (long)reply.ElementCount * sizeof(float))
                    {
                        throw Violation(StatusCode.InvalidArgument, $"exchange {id} declares a dense update of {reply.ElementCount} values but a body of {length} bytes (expected {(long)reply.ElementCount * sizeof(float)}).");
                    }

                    pending.Floats = GC.AllocateUninitializedArray<float>(reply.ElementCount);
                }
                else if (reply.PayloadKind == PayloadKind.Encoded)
                {
                    RequireByteArray(length, id);
                    pending.Bytes = GC.AllocateUninitializedArray<byte>((int)length);
                }
                else
                {
                    throw Violation(StatusCode.InvalidArgument, $"exchange {id} has an unknown payload kind ({reply.PayloadKind}).");
                }

                break;
            case MessageStart.HeaderOneofCase.EvaluateReply when _receivesReplies:
            case MessageStart.HeaderOneofCase.ErrorReply when _receivesReplies:
                if (length != 0)
                {
                    throw Violation(StatusCode.InvalidArgument, $"exchange {id}: a {start.HeaderCase} has no body but {length} bytes were declared.");
                }

                break;
            case MessageStart.HeaderOneofCase.Extension:
                if (!_serializers.ContainsKey(start.Extension.Kind))
                {
                    throw Violation(StatusCode.Unimplemented, $"exchange {id} carries message kind '{start.Extension.Kind}', for which no IMessageSerializer is registered.");
                }

                RequireByteArray(length, id);
                // Extension bodies are read by their serializer and handed back, so they live in a pooled buffer.
                pending.Bytes = length == 0 ? [] : ArrayPool<byte>.Shared.Rent((int)length);
                pending.BytesPooled = length > 0;
                break;
            case MessageStart.HeaderOneofCase.None:
                throw Violation(StatusCode.InvalidArgument, $"exchange {id} has a MessageStart without a header.");
            default:
                throw Violation(StatusCode.InvalidArgument, $"exchange {id}: a {start.HeaderCase} is not accepted in this direction.");
        }
    }

    private AssembledMessage Complete(Pending pending)
    {
        MessageStart start = pending.Start;
        if (pending.Discard)
        {
            return new AssembledMessage(start.ExchangeId, start.Round, null, pending.Length);
        }

        try
        {
            // An empty body has nothing to corrupt; its checksum is not required.
            ulong checksum = pending.Hash.GetCurrentHashAsUInt64();
            if (pending.Length > 0 && checksum != start.BodyXxhash3)
            {
                throw Violation(StatusCode.DataLoss, $"exchange {start.ExchangeId}: the body's checksum is {checksum:x16} but {start.BodyXxhash3:x16} was declared.");
            }

            return new AssembledMessage(start.ExchangeId, start.Round, Build(pending), pending.Length);
        }
        finally
        {
            pending.ReturnPooled();
        }
    }

    private object Build(Pending pending)
    {
        MessageStart start = pending.Start;
        int round = start.Round;
        switch (start.HeaderCase)
        {
            case MessageStart.HeaderOneofCase.FitInstruction:
                Protocol.FitConfig config = start.FitInstruction.Config;
                var fitConfig = new FedLearn.FitConfig
                {
                    Round = round,
                    LocalEpochs = config.LocalEpochs,
                    BatchSize = config.BatchSize,
                    LearningRate = config.LearningRate,
                    ProximalMu = config.ProximalMu,
                    Seed = config.Seed,
                };
                return new FitInstruction(round, ToWeights(start.FitInstruction.Layout, pending.Floats!), fitConfig);
            case MessageStart.HeaderOneofCase.EvaluateInstruction:
                return new EvaluateInstruction(round, ToWeights(start.EvaluateInstruction.Layout, pending.Floats!));
            case MessageStart.HeaderOneofCase.FitReply:
                FitReplyHeader reply = start.FitReply;
                UpdatePayload payload = pending.Floats is { } dense
                    ? new DenseUpdatePayload(dense)
                    : new EncodedUpdatePayload(pending.Bytes!, reply.ElementCount);
                Protocol.TrainingMetrics metrics = reply.Metrics ?? new Protocol.TrainingMetrics();
                var training = new FedLearn.TrainingMetrics(metrics.Loss, metrics.Accuracy, metrics.ExampleCount, metrics.Steps, TimeSpan.FromTicks(Math.Max(0, metrics.DurationTicks)));
                return new FitReply(new ClientUpdate(reply.ClientId, round, reply.ExampleCount, payload, training));
            case MessageStart.HeaderOneofCase.EvaluateReply:
                Protocol.EvaluationMetrics evaluation = start.EvaluateReply.Metrics ?? new Protocol.EvaluationMetrics();
                return new EvaluateReply(start.EvaluateReply.ClientId, round, new FedLearn.EvaluationMetrics(evaluation.Loss, evaluation.Accuracy, evaluation.ExampleCount));
            case MessageStart.HeaderOneofCase.ErrorReply:
                return new ErrorReply(start.ErrorReply.ClientId, round, start.ErrorReply.Error);
            default:
                IMessageSerializer serializer = _serializers[start.Extension.Kind];
                object message;
                try
                {
                    message = serializer.Read(start.Extension.Kind, new ReadOnlySequence<byte>(pending.Bytes!, 0, (int)pending.Length));
                }
                catch (FedLearnFormatException exception)
                {
                    throw Violation(StatusCode.InvalidArgument, $"exchange {start.ExchangeId}: message kind '{start.Extension.Kind}' is malformed: {exception.Message}");
                }

                RequireMatchingHeader(start, message);
                return message;
        }
    }

    /// <summary>
    /// An extension body carries its own round and client id (a masked <see cref="FitReply"/> its update's): they must be
    /// the header's, which the server checks against the exchange and the certificate, and the message must travel in
    /// this direction. Otherwise a body could claim another client or round than the one admitted.
    /// </summary>
    private void RequireMatchingHeader(MessageStart start, object message)
    {
        ulong id = start.ExchangeId;
        string kind = start.Extension.Kind;
        (int round, string? clientId) = message switch
        {
            ClientMessage reply when _receivesReplies => (reply.Round, reply.ClientId),
            ServerMessage instruction when !_receivesReplies => (instruction.Round, (string?)null),
            _ => throw Violation(StatusCode.InvalidArgument, $"exchange {id}: message kind '{kind}' reads as a {message.GetType().Name}, which is not accepted in this direction."),
        };
        if (round != start.Round)
        {
            throw Violation(StatusCode.InvalidArgument, $"exchange {id}: the body of message kind '{kind}' is for round {round} but its header says round {start.Round}.");
        }

        if (clientId is not null && !string.Equals(clientId, start.Extension.ClientId, StringComparison.Ordinal))
        {
            throw Violation(StatusCode.PermissionDenied, $"exchange {id}: the body of message kind '{kind}' claims client '{clientId}' but its header says '{start.Extension.ClientId}'.");
        }
    }

    private void RequireLayout(ModelLayout? layout, long length, ulong id)
    {
        if (layout is null)
        {
            throw Violation(StatusCode.InvalidArgument, $"exchange {id} has no model layout.");
        }

        if (layout.Tensors.Count > _limits.MaxTensors)
        {
            throw Violation(StatusCode.ResourceExhausted, $"exchange {id} lists {layout.Tensors.Count} tensors; the limit is {_limits.MaxTensors}.");
        }

        long elements = 0;
        foreach (TensorSpec tensor in layout.Tensors)
        {
            try
            {
                elements += TensorInfo.ElementCountOf(tensor.Shape);
            }
            catch (ArgumentException exception)
            {
                throw Violation(StatusCode.InvalidArgument, $"exchange {id}: tensor '{tensor.Name}': {exception.Message}");
            }

            if (elements > Array.MaxLength)
            {
                throw Violation(StatusCode.ResourceExhausted, $"exchange {id} describes a model of more than {Array.MaxLength} values.");
            }
        }

        if (elements * sizeof(float) != length)
        {
            throw Violation(StatusCode.InvalidArgument, $"exchange {id}: the layout holds {elements} values ({elements * sizeof(float)} bytes) but the body declares {length} bytes.");
        }
    }

    private static void RequireConfig(Protocol.FitConfig? config, ulong id)
    {
        if (config is null || config.LocalEpochs <= 0 || config.BatchSize <= 0 || !(config.LearningRate > 0) || !double.IsFinite(config.LearningRate))
        {
            throw Violation(StatusCode.InvalidArgument, $"exchange {id} has a missing or invalid fit configuration (epochs, batch size and learning rate must be positive).");
        }
    }

    private static void RequireByteArray(long length, ulong id)
    {
        if (length > Array.MaxLength)
        {
            throw Violation(StatusCode.ResourceExhausted, $"exchange {id} declares {length} bytes, more than one buffer holds ({Array.MaxLength}).");
        }
    }

    private static ModelWeights ToWeights(ModelLayout layout, float[] values)
    {
        try
        {
            return ModelWeights.FromBuffer(layout.Tensors.Select(t => (t.Name, t.Shape.ToArray())), values);
        }
        catch (ArgumentException exception)
        {
            throw Violation(StatusCode.InvalidArgument, $"the model layout is invalid: {exception.Message}");
        }
    }
}
