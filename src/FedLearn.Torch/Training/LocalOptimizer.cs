using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch;

/// <summary>
/// The client optimizers of local training, SGD (momentum, Nesterov, coupled weight decay) and Adam (coupled weight
/// decay), with the arithmetic of <c>torch.optim.SGD</c> and <c>torch.optim.Adam</c>, op for op.
/// </summary>
/// <remarks>
/// Why not <see cref="optim.SGD(IEnumerable{Parameter}, double, double, double, double, bool, bool)"/>: TorchSharp's
/// optimizers pass their coefficients as <see cref="Scalar"/>s converted implicitly from <see cref="double"/>. Such a
/// temporary is unreachable once its native handle has been read, so the garbage collector may finalize it, and free
/// the native scalar, while LibTorch is still reading it. Another thread's allocations are enough to trigger that
/// collection. In simulations with two clients training at once it happened once in 1,000–4,000 client fits: the step
/// failed in <c>Scalar::toFloat</c> and the client was left out of the round (had the freed memory still looked like a
/// scalar, the step would have used a wrong coefficient silently). Here every coefficient is a
/// <see cref="Scalar"/> this object owns and disposes, so none can be freed during a step.
/// </remarks>
internal abstract class LocalOptimizer : IDisposable
{
    private readonly Parameter[] _parameters;
    private bool _disposed;

    private protected LocalOptimizer(IEnumerable<Parameter> parameters)
    {
        _parameters = [.. parameters];
    }

    /// <summary>The optimizer <paramref name="kind"/> over <paramref name="parameters"/> with the given coefficients.</summary>
    public static LocalOptimizer Create(
        TorchOptimizerKind kind,
        IEnumerable<Parameter> parameters,
        double learningRate,
        double momentum = 0,
        bool nesterov = false,
        double weightDecay = 0,
        double beta1 = TorchTrainerDefaults.AdamBeta1,
        double beta2 = TorchTrainerDefaults.AdamBeta2,
        double epsilon = TorchTrainerDefaults.AdamEpsilon) => kind switch
    {
        TorchOptimizerKind.Sgd => new Sgd(parameters, learningRate, momentum, nesterov, weightDecay),
        TorchOptimizerKind.Adam => new Adam(parameters, learningRate, beta1, beta2, epsilon, weightDecay),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "The optimizer is Sgd or Adam."),
    };

    /// <summary>Drops every parameter's gradient (PyTorch's <c>zero_grad(set_to_none=True)</c>).</summary>
    public void ZeroGrad()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        foreach (Parameter parameter in _parameters)
        {
            using Tensor? gradient = parameter.grad;
            if (gradient is not null)
            {
                parameter.grad = null;
            }
        }
    }

    /// <summary>One update of every parameter that has a gradient.</summary>
    public void Step()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using IDisposable noGrad = no_grad();
        using DisposeScope scope = NewDisposeScope();
        BeginStep();
        for (int i = 0; i < _parameters.Length; i++)
        {
            Tensor? gradient = _parameters[i].grad;
            if (gradient is not null)
            {
                Update(i, _parameters[i], gradient);
            }
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        ReleaseState();
    }

    /// <summary>Called once at the start of every step, before the parameters are updated.</summary>
    private protected virtual void BeginStep()
    {
    }

    /// <summary>Updates parameter <paramref name="index"/> in place; temporaries go to the step's dispose scope.</summary>
    private protected abstract void Update(int index, Parameter parameter, Tensor gradient);

    /// <summary>Disposes the optimizer's state tensors and scalars.</summary>
    private protected abstract void ReleaseState();

    /// <summary>
    /// SGD as <c>torch.optim.SGD</c> with dampening 0: g ← ∇ + λ·w; b ← g (first step) or μ·b + g; g ← g + μ·b
    /// (Nesterov) or b; w ← w − η·g.
    /// </summary>
    private sealed class Sgd : LocalOptimizer
    {
        private readonly Scalar _negativeLearningRate;
        private readonly Scalar? _momentum;
        private readonly Scalar _one;
        private readonly Scalar? _weightDecay;
        private readonly bool _nesterov;
        private readonly Tensor?[] _buffers;

        public Sgd(IEnumerable<Parameter> parameters, double learningRate, double momentum, bool nesterov, double weightDecay)
            : base(parameters)
        {
            _negativeLearningRate = (-learningRate).ToScalar();
            _momentum = momentum != 0 ? momentum.ToScalar() : null;
            _one = 1.0.ToScalar();
            _weightDecay = weightDecay != 0 ? weightDecay.ToScalar() : null;
            _nesterov = nesterov;
            _buffers = new Tensor?[_parameters.Length];
        }

        private protected override void Update(int index, Parameter parameter, Tensor gradient)
        {
            Tensor g = _weightDecay is null ? gradient : gradient.add(parameter, _weightDecay);
            if (_momentum is not null)
            {
                Tensor? buffer = _buffers[index];
                if (buffer is null)
                {
                    buffer = g.clone().detach().DetachFromDisposeScope();
                    _buffers[index] = buffer;
                }
                else
                {
                    buffer.mul_(_momentum).add_(g, _one);
                }

                g = _nesterov ? g.add(buffer, _momentum) : buffer;
            }

            parameter.add_(g, _negativeLearningRate);
        }

        private protected override void ReleaseState()
        {
            foreach (Tensor? buffer in _buffers)
            {
                buffer?.Dispose();
            }

            _negativeLearningRate.Dispose();
            _momentum?.Dispose();
            _one.Dispose();
            _weightDecay?.Dispose();
        }
    }

    /// <summary>
    /// Adam as <c>torch.optim.Adam</c> (no AMSGrad): g ← ∇ + λ·w; m ← β1·m + (1 − β1)·g; v ← β2·v + (1 − β2)·g²;
    /// w ← w − η/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε).
    /// </summary>
    private sealed class Adam : LocalOptimizer
    {
        private readonly double _learningRate;
        private readonly double _beta1;
        private readonly double _beta2;
        private readonly Scalar _beta1Scalar;
        private readonly Scalar _oneMinusBeta1;
        private readonly Scalar _beta2Scalar;
        private readonly Scalar _oneMinusBeta2;
        private readonly Scalar _epsilon;
        private readonly Scalar? _weightDecay;
        private readonly Tensor[] _firstMoments;
        private readonly Tensor[] _secondMoments;
        private Scalar? _rootCorrection2;
        private Scalar? _negativeStepSize;
        private long _step;

        public Adam(IEnumerable<Parameter> parameters, double learningRate, double beta1, double beta2, double epsilon, double weightDecay)
            : base(parameters)
        {
            _learningRate = learningRate;
            _beta1 = beta1;
            _beta2 = beta2;
            _beta1Scalar = beta1.ToScalar();
            _oneMinusBeta1 = (1 - beta1).ToScalar();
            _beta2Scalar = beta2.ToScalar();
            _oneMinusBeta2 = (1 - beta2).ToScalar();
            _epsilon = epsilon.ToScalar();
            _weightDecay = weightDecay != 0 ? weightDecay.ToScalar() : null;
            _firstMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
            _secondMoments = [.. _parameters.Select(p => zeros_like(p).DetachFromDisposeScope())];
        }

        private protected override void BeginStep()
        {
            // Every parameter of a local fit is stepped together, so one step count and one pair of bias
            // corrections serve them all.
            _step++;
            double correction1 = 1 - Math.Pow(_beta1, _step);
            double correction2 = 1 - Math.Pow(_beta2, _step);
            _rootCorrection2?.Dispose();
            _negativeStepSize?.Dispose();
            _rootCorrection2 = Math.Sqrt(correction2).ToScalar();
            _negativeStepSize = (-(_learningRate / correction1)).ToScalar();
        }

        private protected override void Update(int index, Parameter parameter, Tensor gradient)
        {
            Tensor g = _weightDecay is null ? gradient : gradient.add(parameter, _weightDecay);
            Tensor m = _firstMoments[index];
            Tensor v = _secondMoments[index];
            m.mul_(_beta1Scalar).add_(g, _oneMinusBeta1);
            v.mul_(_beta2Scalar).addcmul_(g, g, _oneMinusBeta2);
            Tensor denominator = v.sqrt().div_(_rootCorrection2!).add_(_epsilon, TorchScalars.One);
            parameter.addcdiv_(m, denominator, _negativeStepSize!);
        }

        private protected override void ReleaseState()
        {
            foreach (Tensor moment in _firstMoments.Concat(_secondMoments))
            {
                moment.Dispose();
            }

            _beta1Scalar.Dispose();
            _oneMinusBeta1.Dispose();
            _beta2Scalar.Dispose();
            _oneMinusBeta2.Dispose();
            _epsilon.Dispose();
            _weightDecay?.Dispose();
            _rootCorrection2?.Dispose();
            _negativeStepSize?.Dispose();
        }
    }
}
