namespace FedLearn.Robust.CenteredClipping;

/// <summary>Defaults of <see cref="CenteredClippingOptions"/>.</summary>
public static class CenteredClippingDefaults
{
    /// <summary>Default clipping iterations L per call: 1, as in Karimireddy et al. 2021 with a momentum centre.</summary>
    public const int Iterations = 1;
}
