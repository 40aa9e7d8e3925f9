using System.Buffers;

namespace FedLearn.Transport;

/// <summary>
/// Writes and reads the message kinds one package adds to a round (for example the stages of secure
/// aggregation), so that transports which cross a process boundary can carry them without knowing them.
/// The in-memory transport passes messages as objects and never needs one.
/// </summary>
/// <remarks>
/// A transport is given every registered serializer (through dependency injection, as
/// <c>IEnumerable&lt;IMessageSerializer&gt;</c>) and, for a message that is not one of Core's own kinds, asks each
/// in turn for <see cref="GetKind"/>. Kind names are stable, versioned strings such as
/// <c>secagg.masked-input.v1</c>; they travel on the wire next to the payload.
/// </remarks>
public interface IMessageSerializer
{
    /// <summary>Every kind name this serializer reads.</summary>
    IReadOnlyCollection<string> Kinds { get; }

    /// <summary>The kind name of <paramref name="message"/>, or <see langword="null"/> when it is not one of this serializer's.</summary>
    string? GetKind(object message);

    /// <summary>Writes <paramref name="message"/>, whose kind <see cref="GetKind"/> returned, to <paramref name="output"/>.</summary>
    void Write(object message, IBufferWriter<byte> output);

    /// <summary>
    /// Reads a message of kind <paramref name="kind"/>. Every length inside <paramref name="payload"/> is checked
    /// against the payload itself before anything is allocated.
    /// </summary>
    /// <returns>A <see cref="ServerMessage"/> or a <see cref="ClientMessage"/>.</returns>
    /// <exception cref="FedLearnFormatException">The payload is truncated, oversized or inconsistent; the message says what is wrong.</exception>
    object Read(string kind, ReadOnlySequence<byte> payload);
}
