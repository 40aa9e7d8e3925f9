using FedLearn.Data;
using FedLearn.Torch;
using FedLearn.Torch.Privacy;

namespace FedLearn.Samples.MembershipAudit;

/// <summary>How the audited models are trained at one privacy level: a trainer per training set, and the ε the accountant certifies for it.</summary>
/// <param name="CreateTrainer">Creates the trainer of one model (target or shadow) over its training set.</param>
/// <param name="AccountantEpsilon">The ε (at the run's δ) the privacy accountant reports for a trained model; +∞ for non-private training.</param>
/// <param name="Description">What the trainer is, for the report.</param>
internal sealed record AuditTraining(Func<DatasetView, ILocalTrainer> CreateTrainer, Func<ILocalTrainer, double> AccountantEpsilon, string Description)
{
    /// <summary>
    /// The trainer for privacy level <paramref name="epsilon"/>: plain <see cref="TorchTrainer"/> for +∞, else
    /// <see cref="DpSgdTrainer"/> calibrated to ε over the run's epochs. The one place that knows how to train privately.
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

        // DP-SGD at the target ε over the planned epochs: the noise multiplier is calibrated when the trainer is built,
        // every target and shadow model is trained the same way, and the accountant reports what the target spent.
        var dpOptions = new DpSgdOptions
        {
            TargetEpsilon = epsilon,
            Delta = settings.Delta,
            PlannedEpochs = settings.Epochs,
            MaxGradientNorm = settings.DpClip,
            ExpectedBatchSize = settings.BatchSize,
            Optimizer = options.Optimizer,
            Device = TorchDevicePreference.Cpu,
        };
        return new AuditTraining(
            train => new DpSgdTrainer(TorchModels.Create(settings.Model, seed: 0), train, train.Select([]), dpOptions),
            trainer => ((DpSgdTrainer)trainer).Spent(settings.Delta).Epsilon,
            $"{settings.Model}, DP-SGD at ε {epsilon} (δ {settings.Delta}), clip {settings.DpClip}, expected batch {settings.BatchSize}, {settings.Optimizer} lr {settings.Lr}");
    }
}
