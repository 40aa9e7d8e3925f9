using FedLearn.Data;
using FedLearn.Torch;

namespace FedLearn.Samples.MembershipAudit;

/// <summary>How the audited models are trained at one privacy level: a trainer per training set, and the ε the accountant certifies for it.</summary>
/// <param name="CreateTrainer">Creates the trainer of one model (target or shadow) over its training set.</param>
/// <param name="AccountantEpsilon">The ε (at the run's δ) the privacy accountant reports for a trained model; +∞ for non-private training.</param>
/// <param name="Description">What the trainer is, for the report.</param>
internal sealed record AuditTraining(Func<DatasetView, ILocalTrainer> CreateTrainer, Func<ILocalTrainer, double> AccountantEpsilon, string Description)
{
    /// <summary>
    /// The trainer for privacy level <paramref name="epsilon"/>: plain <see cref="TorchTrainer"/> for +∞. This is the
    /// one place that knows how to train privately; a DP-SGD trainer for a target ε plugs in here.
    /// </summary>
    public static AuditTraining For(AuditSettings settings, double epsilon)
    {
        var options = new TorchTrainerOptions
        {
            Optimizer = settings.Optimizer == "sgd" ? TorchOptimizerKind.Sgd : TorchOptimizerKind.Adam,
            Device = TorchDevicePreference.Cpu,
        };

        if (double.IsPositiveInfinity(epsilon))
        {
            return new AuditTraining(
                train => TorchTrainer.Create(settings.Model, train, train.Select([]), options),
                _ => double.PositiveInfinity,
                $"{settings.Model}, {settings.Optimizer} lr {settings.Lr}, non-private");
        }

        throw new UsageException($"--epsilon {epsilon}: private training (DP-SGD) is not available in this build; only inf can be audited.");
    }
}
