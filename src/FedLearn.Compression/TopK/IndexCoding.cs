namespace FedLearn.Compression.TopK;

/// <summary>How a payload's index section codes the kept positions; the section's first byte.</summary>
internal enum IndexCoding : byte
{
    /// <summary>Gaps between ascending positions, Golomb–Rice coded with the parameter in the parameter block.</summary>
    RiceGaps = 0,

    /// <summary>One bit per element, least-significant bit first, set where a value is kept.</summary>
    Bitmap = 1,

    /// <summary>
    /// Gaps between ascending positions, Golomb–Rice coded with a parameter per block of
    /// <see cref="Entropy.BlockRice.BlockLength"/> gaps (the first in the parameter block, later ones as changes in
    /// the section). Since format version 3.
    /// </summary>
    BlockRiceGaps = 2,
}
