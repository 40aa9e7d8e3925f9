using NUnit.Framework;
using static FedLearn.Core.Tests.Optimizers.OptimizerTestData;

namespace FedLearn.Core.Tests.Optimizers;

/// <summary>Behaviour every adaptive server optimizer (FedAdagrad, FedAdam, FedYogi) shares; each fixture supplies one.</summary>
public abstract class AdaptiveOptimizerContract
{
    private const int Length = 37; // not a multiple of any vector width, so SIMD bodies and scalar tails both run

    /// <summary>The optimizer with its default options.</summary>
    private protected abstract IServerOptimizer CreateDefault();

    /// <summary>The optimizer with non-default options, and the matching reference.</summary>
    private protected abstract (IServerOptimizer Optimizer, AdaptiveReference Reference) CreateCustom();

    /// <summary>The reference with the default options.</summary>
    private protected abstract AdaptiveReference CreateDefaultReference();

    [TestCase(0.01)]
    [TestCase(1.0)]
    public void One_and_two_steps_with_defaults_match_the_scalar_reference(double deltaScale)
    {
        CheckTwoSteps(CreateDefault(), CreateDefaultReference(), deltaScale);
    }

    [Test]
    public void One_and_two_steps_with_custom_options_match_the_scalar_reference()
    {
        (IServerOptimizer optimizer, AdaptiveReference reference) = CreateCustom();
        CheckTwoSteps(optimizer, reference, deltaScale: 0.3);
    }

    [Test]
    public void State_is_empty_before_the_first_step_and_sized_by_it()
    {
        IServerOptimizer optimizer = CreateDefault();
        Assert.That(optimizer.ExportState(), Is.Empty);

        optimizer.Step(new float[Length], Vector(1, Length, 0.1));

        IReadOnlyDictionary<string, float[]> state = optimizer.ExportState();
        Assert.That(state.Keys, Is.EquivalentTo(new[] { "m", "v" }));
        Assert.That(state["m"], Has.Length.EqualTo(Length));
        Assert.That(state["v"], Has.Length.EqualTo(Length));
    }

    [Test]
    public void Export_then_import_into_a_fresh_optimizer_continues_bit_identically()
    {
        IServerOptimizer original = CreateDefault();
        float[] weights = Vector(2, Length, 1.0);
        for (ulong round = 0; round < 3; round++)
        {
            original.Step(weights, Vector(10 + round, Length, 0.2));
        }

        IServerOptimizer restored = CreateDefault();
        restored.ImportState(original.ExportState());
        float[] next = Vector(99, Length, 0.2);
        float[] a = (float[])weights.Clone();
        float[] b = (float[])weights.Clone();
        original.Step(a, next);
        restored.Step(b, next);

        Assert.That(Bits(b), Is.EqualTo(Bits(a)));
        IReadOnlyDictionary<string, float[]> stateA = original.ExportState();
        IReadOnlyDictionary<string, float[]> stateB = restored.ExportState();
        Assert.That(Bits(stateB["m"]), Is.EqualTo(Bits(stateA["m"])));
        Assert.That(Bits(stateB["v"]), Is.EqualTo(Bits(stateA["v"])));
    }

    [Test]
    public void Exported_state_is_a_snapshot()
    {
        IServerOptimizer optimizer = CreateDefault();
        float[] weights = new float[Length];
        optimizer.Step(weights, Vector(3, Length, 0.2));
        float[] m = (float[])optimizer.ExportState()["m"].Clone();
        IReadOnlyDictionary<string, float[]> exported = optimizer.ExportState();

        optimizer.Step(weights, Vector(4, Length, 0.2));

        Assert.That(Bits(exported["m"]), Is.EqualTo(Bits(m)));
    }

    [Test]
    public void Importing_empty_state_resets_to_a_fresh_optimizer()
    {
        IServerOptimizer used = CreateDefault();
        used.Step(new float[Length], Vector(5, Length, 0.2));
        used.ImportState(new Dictionary<string, float[]>());
        IServerOptimizer fresh = CreateDefault();
        float[] a = Vector(6, Length, 1.0);
        float[] b = (float[])a.Clone();
        float[] delta = Vector(7, Length, 0.2);

        used.Step(a, delta);
        fresh.Step(b, delta);

        Assert.That(Bits(a), Is.EqualTo(Bits(b)));
    }

    [Test]
    public void Import_rejects_a_missing_buffer()
    {
        var error = Assert.Throws<ArgumentException>(() => CreateDefault().ImportState(new Dictionary<string, float[]> { ["m"] = new float[3] }));
        Assert.That(error!.Message, Does.Contain("the state 'v' is missing; this optimizer keeps 'm', 'v'"));
    }

    [Test]
    public void Import_rejects_an_unknown_buffer()
    {
        var state = new Dictionary<string, float[]> { ["m"] = new float[3], ["v"] = new float[3], ["momentum"] = new float[3] };
        var error = Assert.Throws<ArgumentException>(() => CreateDefault().ImportState(state));
        Assert.That(error!.Message, Does.Contain("unknown state 'momentum'"));
    }

    [Test]
    public void Import_rejects_buffers_of_different_lengths()
    {
        var state = new Dictionary<string, float[]> { ["m"] = new float[3], ["v"] = new float[4] };
        var error = Assert.Throws<ArgumentException>(() => CreateDefault().ImportState(state));
        Assert.That(error!.Message, Does.Contain("the state 'v' has 4 values but 'm' has 3"));
    }

    [Test]
    public void Import_rejects_a_negative_second_moment()
    {
        var state = new Dictionary<string, float[]> { ["m"] = new float[3], ["v"] = [0f, -1f, 0f] };
        var error = Assert.Throws<ArgumentException>(() => CreateDefault().ImportState(state));
        Assert.That(error!.Message, Does.Contain("'v' must not be negative but has -1 at index 1"));
    }

    [Test]
    public void Import_rejects_non_finite_state()
    {
        var state = new Dictionary<string, float[]> { ["m"] = [0f, 0f, float.NaN], ["v"] = new float[3] };
        var error = Assert.Throws<ArgumentException>(() => CreateDefault().ImportState(state));
        Assert.That(error!.Message, Does.Contain("the state 'm' has a non-finite value (NaN) at index 2"));
    }

    [Test]
    public void Stepping_weights_of_another_length_than_the_state_is_a_clear_error()
    {
        IServerOptimizer optimizer = CreateDefault();
        optimizer.ImportState(new Dictionary<string, float[]> { ["m"] = new float[5], ["v"] = new float[5] });

        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(new float[6], new float[6]));

        Assert.That(error!.Message, Does.Contain("holds 5 values per buffer but the weights have 6"));
    }

    [Test]
    public void Rejects_a_delta_of_another_length_and_a_non_finite_delta_without_changing_anything()
    {
        IServerOptimizer optimizer = CreateDefault();
        float[] weights = [1f, 2f, 3f];

        var lengthError = Assert.Throws<ArgumentException>(() => optimizer.Step(weights, new float[2]));
        var finiteError = Assert.Throws<ArgumentException>(() => optimizer.Step(weights, [0f, float.PositiveInfinity, 0f]));

        Assert.That(lengthError!.Message, Does.Contain("the delta has 2 values but the weights have 3"));
        Assert.That(finiteError!.Message, Does.Contain("non-finite value (Infinity) at index 1"));
        Assert.That(weights, Is.EqualTo(new[] { 1f, 2f, 3f }).AsCollection);
        Assert.That(optimizer.ExportState(), Is.Empty);
    }

    [Test]
    public void An_empty_model_steps_without_error()
    {
        IServerOptimizer optimizer = CreateDefault();

        optimizer.Step(Span<float>.Empty, ReadOnlySpan<float>.Empty);

        Assert.That(optimizer.ExportState()["v"], Is.Empty);
    }

    [Test]
    public void Same_inputs_give_bit_identical_weights()
    {
        float[] a = Vector(8, 1000, 1.0);
        float[] b = (float[])a.Clone();
        IServerOptimizer first = CreateDefault();
        IServerOptimizer second = CreateDefault();
        for (ulong round = 0; round < 4; round++)
        {
            float[] delta = Vector(20 + round, 1000, 0.1);
            first.Step(a, delta);
            second.Step(b, delta);
        }

        Assert.That(Bits(a), Is.EqualTo(Bits(b)));
    }

    private static void CheckTwoSteps(IServerOptimizer optimizer, AdaptiveReference reference, double deltaScale)
    {
        float[] weights = Vector(100, Length, 1.0);
        double[] expected = weights.Select(w => (double)w).ToArray();
        for (int step = 1; step <= 2; step++)
        {
            float[] delta = Vector(200 + (ulong)step, Length, deltaScale);
            optimizer.Step(weights, delta);
            reference.Step(expected, delta);

            IReadOnlyDictionary<string, float[]> state = optimizer.ExportState();
            AssertClose(state["m"], reference.M, deltaScale, $"step {step} m");
            AssertClose(state["v"], reference.V, 0, $"step {step} v");
            AssertClose(weights, expected, 1.0, $"step {step} weights");
        }
    }
}
