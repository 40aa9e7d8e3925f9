namespace FedLearn.Data;

/// <summary>
/// The element type code of an IDX file (the third byte of its header). FedLearn reads only
/// <see cref="UnsignedByte"/>, the type of every MNIST and Fashion-MNIST file; the other codes are named so that a
/// file of another type is rejected with a message that says what it holds.
/// </summary>
public enum IdxElementType
{
    /// <summary>Unsigned 8-bit integers (code 0x08): pixels and labels.</summary>
    UnsignedByte = 0x08,

    /// <summary>Signed 8-bit integers (code 0x09). Not supported by <see cref="IdxReader"/>.</summary>
    SignedByte = 0x09,

    /// <summary>Big-endian 16-bit integers (code 0x0B). Not supported by <see cref="IdxReader"/>.</summary>
    Int16 = 0x0B,

    /// <summary>Big-endian 32-bit integers (code 0x0C). Not supported by <see cref="IdxReader"/>.</summary>
    Int32 = 0x0C,

    /// <summary>Big-endian 32-bit floats (code 0x0D). Not supported by <see cref="IdxReader"/>.</summary>
    Float32 = 0x0D,

    /// <summary>Big-endian 64-bit floats (code 0x0E). Not supported by <see cref="IdxReader"/>.</summary>
    Float64 = 0x0E,
}
