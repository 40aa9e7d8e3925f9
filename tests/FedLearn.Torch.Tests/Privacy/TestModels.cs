using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Privacy;

/// <summary>Small models that exercise each per-sample gradient path, for the DP-SGD tests.</summary>
internal static class TestModels
{
    /// <summary>Linear on [B, features] input.</summary>
    public static nn.Module<Tensor, Tensor> Linear(int inputs = 12, int classes = 5) =>
        Init(nn.Sequential(("fc1", nn.Linear(inputs, 7)), ("act", nn.Tanh()), ("fc2", nn.Linear(7, classes))));

    /// <summary>Linear applied to a [B, T, features] sequence, then summed over T.</summary>
    public static nn.Module<Tensor, Tensor> SequenceLinear() => Init(new SequenceModel());

    /// <summary>Conv2d with stride, padding, dilation and groups, on [B, 2, 9, 9] images.</summary>
    public static nn.Module<Tensor, Tensor> Conv() =>
        Init(nn.Sequential(
            ("conv1", nn.Conv2d(2, 4, 3, stride: 2, padding: 1)),
            ("act1", nn.Tanh()),
            ("conv2", nn.Conv2d(4, 6, 2, dilation: 2, groups: 2, bias: false)),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(6 * 3 * 3, 3))));

    /// <summary>Conv2d → GroupNorm → tanh → Linear, on [B, 2, 9, 9] images.</summary>
    public static nn.Module<Tensor, Tensor> GroupNorm() =>
        Init(nn.Sequential(
            ("conv", nn.Conv2d(2, 6, 3)),
            ("gn", RandomAffine(nn.GroupNorm(3, 6))),
            ("act", nn.Tanh()),
            ("flat", nn.Flatten()),
            ("fc", nn.Linear(6 * 7 * 7, 3))));

    /// <summary>Linear → LayerNorm → tanh → Linear, on [B, 12] input.</summary>
    public static nn.Module<Tensor, Tensor> LayerNorm() =>
        Init(nn.Sequential(("fc1", nn.Linear(12, 8)), ("ln", RandomAffine(nn.LayerNorm(8))), ("act", nn.Tanh()), ("fc2", nn.Linear(8, 4))));

    /// <summary>Embedding of [B, T] indices, averaged over T, then Linear.</summary>
    public static nn.Module<Tensor, Tensor> Embedding() => Init(new EmbeddingModel());

    /// <summary>A model with a layer the engine has no closed form for (a per-feature scale parameter), plus a Linear.</summary>
    public static nn.Module<Tensor, Tensor> WithUnknownLayer() => Init(new ScaledModel());

    /// <summary>A Linear invoked with <c>forward</c> instead of <c>call</c>: its hook does not fire.</summary>
    public static nn.Module<Tensor, Tensor> LinearCalledByForward() => Init(new ForwardCallingModel());

    /// <summary>A convolution followed by BatchNorm2d, which DP-SGD must refuse.</summary>
    public static nn.Module<Tensor, Tensor> WithBatchNorm() =>
        nn.Sequential(("conv", nn.Conv2d(1, 4, 3)), ("bn", nn.BatchNorm2d(4)), ("flat", nn.Flatten()), ("fc", nn.Linear(4 * 26 * 26, 10)));

    private static nn.Module<Tensor, Tensor> Init(nn.Module<Tensor, Tensor> module)
    {
        TorchModels.InitializeParameters(module, seed: 5);
        return module;
    }

    private static T RandomAffine<T>(T norm)
        where T : nn.Module
    {
        // Non-trivial scale and shift, so a wrong normalisation term shows in the gradients.
        using var generator = new Generator(17, CPU);
        using IDisposable noGrad = no_grad();
        foreach (Parameter parameter in norm.parameters())
        {
            parameter.uniform_(0.5, 1.5, generator);
        }

        return norm;
    }

    private sealed class SequenceModel : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _fc1 = nn.Linear(5, 6);
        private readonly Linear _fc2 = nn.Linear(6, 3);

        public SequenceModel()
            : base(nameof(SequenceModel))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            // input [B, 4·5] viewed as a sequence of 4 steps of 5 features.
            using Tensor sequence = input.reshape(input.shape[0], 4, 5);
            using Tensor hidden = _fc1.call(sequence);
            using Tensor activated = hidden.tanh();
            using Tensor pooled = activated.mean([1]);
            return _fc2.call(pooled);
        }
    }

    private sealed class EmbeddingModel : nn.Module<Tensor, Tensor>
    {
        private readonly Embedding _embedding = nn.Embedding(11, 4);
        private readonly Linear _fc = nn.Linear(4, 3);

        public EmbeddingModel()
            : base(nameof(EmbeddingModel))
        {
            RegisterComponents();
            using var generator = new Generator(23, CPU);
            using IDisposable noGrad = no_grad();
            _embedding.weight!.normal_(0, 1, generator);
        }

        public override Tensor forward(Tensor input)
        {
            using Tensor embedded = _embedding.call(input);
            using Tensor pooled = embedded.mean([1]);
            return _fc.call(pooled);
        }
    }

    private sealed class ScaledModel : nn.Module<Tensor, Tensor>
    {
        private readonly Parameter _scale;
        private readonly Linear _fc = nn.Linear(12, 4);

        public ScaledModel()
            : base(nameof(ScaledModel))
        {
            using var generator = new Generator(29, CPU);
            _scale = new Parameter(rand(12, generator: generator).add_(0.5));
            register_parameter("scale", _scale);
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using Tensor scaled = input.mul(_scale).tanh();
            return _fc.call(scaled);
        }
    }

    private sealed class ForwardCallingModel : nn.Module<Tensor, Tensor>
    {
        private readonly Linear _fc1 = nn.Linear(12, 6);
        private readonly Linear _fc2 = nn.Linear(6, 4);

        public ForwardCallingModel()
            : base(nameof(ForwardCallingModel))
        {
            RegisterComponents();
        }

        public override Tensor forward(Tensor input)
        {
            using Tensor hidden = _fc1.forward(input);
            using Tensor activated = hidden.tanh();
            return _fc2.call(activated);
        }
    }
}
