using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace FedLearn.Torch.Tests.Training;

public sealed class LocalOptimizerTests
{
    private const int BatchSize = 32;

    public static IEnumerable<TestCaseData> Settings()
    {
        yield return new TestCaseData(TorchOptimizerKind.Sgd, 0.0, false, 0.0).SetName("SGD");
        yield return new TestCaseData(TorchOptimizerKind.Sgd, 0.9, false, 0.0).SetName("SGD with momentum");
        yield return new TestCaseData(TorchOptimizerKind.Sgd, 0.9, true, 1e-3).SetName("SGD with Nesterov momentum and weight decay");
        yield return new TestCaseData(TorchOptimizerKind.Adam, 0.0, false, 0.0).SetName("Adam");
        yield return new TestCaseData(TorchOptimizerKind.Adam, 0.0, false, 1e-3).SetName("Adam with weight decay");
    }

    [TestCaseSource(nameof(Settings))]
    public void Every_step_gives_the_weights_of_torch_optim(TorchOptimizerKind kind, double momentum, bool nesterov, double weightDecay)
    {
        double learningRate = kind == TorchOptimizerKind.Adam ? 1e-3 : 0.05;
        using var reference = new MlpModel(seed: 11);
        using var model = new MlpModel(seed: 11);
        List<Parameter> referenceParameters = [.. reference.parameters()];
        using optim.Optimizer torchOptimizer = kind == TorchOptimizerKind.Adam
            ? optim.Adam(referenceParameters, learningRate, weight_decay: weightDecay)
            : optim.SGD(referenceParameters, learningRate, momentum, dampening: 0, weightDecay, nesterov);
        using LocalOptimizer optimizer = LocalOptimizer.Create(kind, model.parameters(), learningRate, momentum, nesterov, weightDecay);

        for (int step = 0; step < 12; step++)
        {
            using DisposeScope scope = NewDisposeScope();
            (Tensor features, Tensor labels) = Batch(step);
            torchOptimizer.zero_grad();
            nn.functional.cross_entropy(reference.forward(features), labels).backward();
            torchOptimizer.step();
            optimizer.ZeroGrad();
            nn.functional.cross_entropy(model.forward(features), labels).backward();
            optimizer.Step();

            Assert.That(model.GetWeights().Values, Is.EqualTo(reference.GetWeights().Values), $"weights after step {step + 1}");
        }

        using var initial = new MlpModel(seed: 11);
        Assert.That(model.GetWeights().Values, Is.Not.EqualTo(initial.GetWeights().Values), "the steps moved the weights");
    }

    [TestCase(TorchOptimizerKind.Sgd)]
    [TestCase(TorchOptimizerKind.Adam)]
    public void Steps_are_unchanged_while_the_finalizers_run_on_another_thread(TorchOptimizerKind kind)
    {
        // The coefficients TorchSharp's own optimizers convert implicitly from double can be finalized while LibTorch
        // reads them; a thread that keeps collecting makes that likely. Owned scalars cannot be, so the weights must
        // equal those of the same steps taken with no collections running.
        const int Steps = 150;
        float[] quiet = Train(kind, Steps, pressure: false);
        float[] collected = Train(kind, Steps, pressure: true);

        Assert.That(collected, Is.EqualTo(quiet));
    }

    [Test]
    public void A_disposed_optimizer_refuses_to_step()
    {
        using var model = new MlpModel(seed: 2);
        LocalOptimizer optimizer = LocalOptimizer.Create(TorchOptimizerKind.Adam, model.parameters(), 1e-3);
        optimizer.Dispose();
        optimizer.Dispose();

        Assert.Throws<ObjectDisposedException>(optimizer.Step);
        Assert.Throws<ObjectDisposedException>(optimizer.ZeroGrad);
    }

    private static float[] Train(TorchOptimizerKind kind, int steps, bool pressure)
    {
        using var model = new MlpModel(seed: 5);
        using LocalOptimizer optimizer = LocalOptimizer.Create(kind, model.parameters(), kind == TorchOptimizerKind.Adam ? 1e-3 : 0.05, momentum: 0.9);
        using var stop = new CancellationTokenSource();
        Thread? collector = null;
        if (pressure)
        {
            collector = new Thread(() =>
            {
                while (!stop.IsCancellationRequested)
                {
                    // Finalizable garbage of the same kind, then a full collection that runs the finalizers.
                    for (int i = 0; i < 64; i++)
                    {
                        _ = 1.5.ToScalar();
                    }

                    GC.Collect();
                    GC.WaitForPendingFinalizers();
                }
            }) { IsBackground = true };
            collector.Start();
        }

        try
        {
            for (int step = 0; step < steps; step++)
            {
                using DisposeScope scope = NewDisposeScope();
                (Tensor features, Tensor labels) = Batch(step % 8);
                optimizer.ZeroGrad();
                nn.functional.cross_entropy(model.forward(features), labels).backward();
                optimizer.Step();
            }
        }
        finally
        {
            stop.Cancel();
            collector?.Join();
        }

        return model.GetWeights().Values;
    }

    private static (Tensor Features, Tensor Labels) Batch(int index)
    {
        using var generator = new Generator((ulong)(1000 + index));
        Tensor features = rand([BatchSize, MlpModel.InputFeatures], generator: generator);
        Tensor labels = randint(0, MlpModel.ClassCount, [BatchSize], generator: generator);
        return (features, labels);
    }
}
