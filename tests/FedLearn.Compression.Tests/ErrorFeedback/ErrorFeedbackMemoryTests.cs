using FedLearn.Compression.ErrorFeedback;
using FedLearn.Compression.Tests.Support;
using FsCheck;
using FsCheck.Fluent;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.ErrorFeedback;

public sealed class ErrorFeedbackMemoryTests
{
    private static readonly string[] EfChains = ["ef,topk:0.1", "ef,topk:0.05,q:4", "ef,q:2", "ef,sign", "ef,qsgd:3", "ef,topk:0.01,q:8,entropy"];

    [FsCheck.NUnit.Property(Arbitrary = [typeof(VectorArbitraries)], MaxTest = 40)]
    public Property Sent_plus_residual_equals_input_plus_previous_residual_over_rounds(TestVector vector)
    {
        // Keep the sums away from overflow: error feedback adds the residual to the update.
        float[] update = vector.Values.Select(v => v / 1024).ToArray();
        bool ok = true;
        foreach (string chain in EfChains)
        {
            ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
            var state = new ComponentState();
            for (int round = 0; round < 3; round++)
            {
                float[] previous = (float[])ErrorFeedbackMemory.Residual(state, update.Length).Clone();
                float[] sent = Chains.RoundTrip(compressor, update, (ulong)round, state);
                float[] residual = ErrorFeedbackMemory.Residual(state, update.Length);
                for (int i = 0; i < update.Length; i++)
                {
                    // accumulated = update + previous is one float addition; residual = accumulated − sent another.
                    float accumulated = update[i] + previous[i];
                    ok &= residual[i] == accumulated - sent[i];
                    // In exact arithmetic sent + residual = update + previous; the two float operations above each
                    // round by at most half an ulp of their result.
                    double drift = Math.Abs(((double)sent[i] + residual[i]) - ((double)update[i] + previous[i]));
                    ok &= drift <= (Ulp(accumulated) + Ulp(residual[i])) / 2;
                }
            }
        }

        return ok.Label(vector.ToString());
    }

    private static double Ulp(float value) => MathF.BitIncrement(Math.Abs(value)) - Math.Abs(value);

    [Test]
    public void Error_feedback_sends_what_top_k_dropped_in_later_rounds()
    {
        ICompressor compressor = CompressionPipelineBuilder.Parse("ef,topk:1").Build();
        var state = new ComponentState();
        float[] update = [5, 1, 0.5f];
        Assert.That(Chains.RoundTrip(compressor, update, 1, state), Is.EqualTo(new float[] { 5, 0, 0 }));
        Assert.That(Chains.RoundTrip(compressor, [0, 0, 0], 2, state), Is.EqualTo(new float[] { 0, 1, 0 }));
        Assert.That(Chains.RoundTrip(compressor, [0, 0, 0], 3, state), Is.EqualTo(new float[] { 0, 0, 0.5f }));
        state.Reset();
        Assert.That(Chains.RoundTrip(compressor, [0, 0, 0], 4, state), Is.EqualTo(new float[] { 0, 0, 0 }));
    }

    [Test]
    public void Without_error_feedback_no_state_is_kept()
    {
        var state = new ComponentState();
        Chains.RoundTrip(CompressionPipelineBuilder.Parse("topk:1").Build(), [1, 2, 3], 1, state);
        Assert.That(state.Keys, Is.Empty);
    }
}
