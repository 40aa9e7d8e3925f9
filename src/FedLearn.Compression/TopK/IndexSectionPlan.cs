namespace FedLearn.Compression.TopK;

/// <summary>The coding the encoder chose for one payload's kept positions and the exact size it leads to.</summary>
/// <param name="Coding">Rice-coded gaps (one parameter or one per block) or a bitmap.</param>
/// <param name="RiceParameter">The Rice parameter for <see cref="IndexCoding.RiceGaps"/>, the first block's for <see cref="IndexCoding.BlockRiceGaps"/>; zero for a bitmap.</param>
/// <param name="Length">The index section's length in bytes, the coding byte included.</param>
internal readonly record struct IndexSectionPlan(IndexCoding Coding, int RiceParameter, long Length);
