namespace FedLearn.Samples.RobustnessReport.AttackMatrix;

/// <summary>
/// Records the median norm of the updates the server sees each round, then hands them to the inner screener
/// (or flags nothing). Gives the scale of an update for choosing norm-based parameters such as a clipping radius.
/// </summary>
internal sealed class NormProbe(IUpdateScreener? inner) : IUpdateScreener
{
    private readonly List<double> _medians = [];

    public double MeanMedianNorm => _medians.Count == 0 ? double.NaN : _medians.Average();

    public IReadOnlyList<ClientFlag> Screen(int round, IReadOnlyList<WeightedUpdate> updates)
    {
        double[] norms = updates.Select(u => (double)System.Numerics.Tensors.TensorPrimitives.Norm(u.Values.Span)).Order().ToArray();
        if (norms.Length > 0)
        {
            _medians.Add(norms[norms.Length / 2]);
        }

        return inner?.Screen(round, updates) ?? [];
    }
}
