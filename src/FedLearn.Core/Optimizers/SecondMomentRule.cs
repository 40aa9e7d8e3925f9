namespace FedLearn.Optimizers;

/// <summary>How an adaptive server optimizer updates its second moment v from the squared delta Δ².</summary>
/// <remarks>Reddi et al. 2021, "Adaptive Federated Optimization", Algorithm 2.</remarks>
internal enum SecondMomentRule
{
    /// <summary>v ← v + Δ² (FedAdagrad).</summary>
    Adagrad,

    /// <summary>v ← β2·v + (1 − β2)·Δ² (FedAdam).</summary>
    Adam,

    /// <summary>v ← v − (1 − β2)·Δ²·sign(v − Δ²) (FedYogi).</summary>
    Yogi,
}
