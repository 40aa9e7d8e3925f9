using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Compression.Tests.Pipeline;

public sealed class CompressionPipelineBuilderTests
{
    [TestCase("ef,topk:0.01,q:8,entropy", "ef,topk:0.01,q:8,entropy")]
    [TestCase(" EF , TopK:0.1 , Q:8 ", "ef,topk:0.1,q:8")]
    [TestCase("topk:1000,qsgd:4", "topk:1000,qsgd:4")]
    [TestCase("topk:1.0", "topk:1.0")]
    [TestCase("topk:1e-3,q:4:norm:chunk=256,entropy", "topk:0.001,q:4:norm:chunk=256,entropy")]
    [TestCase("q:4:norm:stochastic", "qsgd:4")]
    [TestCase("ef,sign", "ef,sign")]
    [TestCase("none", "none")]
    public void The_one_string_form_parses_to_its_canonical_name(string chain, string name)
    {
        ICompressor compressor = CompressionPipelineBuilder.Parse(chain).Build();
        Assert.That(compressor.Name, Is.EqualTo(name));
        Assert.That(CompressionPipelineBuilder.Parse(compressor.Name).Build().Name, Is.EqualTo(name));
    }

    [Test]
    public void The_fluent_form_matches_the_string_form()
    {
        ICompressor fluent = new CompressionPipelineBuilder().WithErrorFeedback().TopK(0.01).Quantize(8).EntropyCode().Build();
        Assert.That(fluent.Name, Is.EqualTo("ef,topk:0.01,q:8,entropy"));
    }

    [Test]
    public void Build_lists_every_error_at_once()
    {
        var builder = CompressionPipelineBuilder.Parse("q:40,topk:0,ef,ef,bogus,topk:abc");
        builder.MaxElementCount = 0;
        var ex = Assert.Throws<OptionsValidationException>(() => builder.Build());
        Assert.That(ex!.Failures, Has.Some.Contains("Unknown stage 'bogus'"));
        Assert.That(ex.Failures, Has.Some.Contains("'abc' is neither a ratio"));
        Assert.That(ex.Failures, Has.Some.Contains("MaxElementCount must be at least 1"));
        Assert.That(ex.Failures, Has.Some.Contains("top-k must come before quantization"));
        Assert.That(ex.Failures, Has.Some.Contains("error feedback must come before top-k"));
        Assert.That(ex.Failures, Has.Some.Contains("error feedback appears more than once"));
        Assert.That(ex.Failures, Has.Some.Contains("quantization: The field Bits must be between 1 and 32"));
        Assert.That(ex.Failures, Has.Some.Contains("Top-k count must be at least 1; 0 was given"));
    }

    [TestCase("ef", "Error feedback needs a lossy stage")]
    [TestCase("entropy", "Entropy coding needs top-k positions")]
    [TestCase("q:12,entropy", "Entropy coding needs top-k positions")]
    [TestCase("qsgd:1", "Norm quantization needs at least 2 bits")]
    [TestCase("topk:1.5", "Top-k ratio must be in (0, 1]")]
    [TestCase("", "The chain is empty")]
    [TestCase("q:8:fast", "unknown modifier 'fast'")]
    [TestCase("q:8:chunk=0", "ChunkSize must be between 1")]
    public void Invalid_chains_are_rejected_with_a_message_naming_the_problem(string chain, string expected)
    {
        var ex = Assert.Throws<OptionsValidationException>(() => CompressionPipelineBuilder.Parse(chain).Build());
        Assert.That(ex!.Message, Does.Contain(expected));
    }
}
