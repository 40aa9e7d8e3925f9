using System.Globalization;
using FedLearn.Aggregation;
using FedLearn.Robust.Attacks;
using FedLearn.Robust.Bulyan;
using FedLearn.Robust.CenteredClipping;
using FedLearn.Robust.GeometricMedian;
using FedLearn.Robust.Krum;
using FedLearn.Robust.Median;
using FedLearn.Robust.PreAggregation;
using FedLearn.Robust.TrimmedMean;
using Microsoft.Extensions.Options;

namespace FedLearn.Robust.Specs;

/// <summary>
/// Parses the command-line specs of aggregators, pre-aggregators and Byzantine attacks. Names are case-insensitive,
/// numbers use the invariant culture, and every error is a <see cref="FormatException"/> that quotes the bad text and
/// lists what is accepted.
/// </summary>
public static class RobustSpecs
{
    /// <summary>The accepted aggregator specs.</summary>
    public const string AggregatorSyntax = "fedavg | krum:<f> | multikrum:<f>[,<m>] | trimmed-mean:<f> | median | geomed | bulyan:<f> | cclip:<tau>";

    /// <summary>The accepted pre-aggregator specs.</summary>
    public const string PreAggregatorSyntax = "clip:<c> | arc:<f> | nnm:<f> | bucket:<s>";

    /// <summary>The accepted Byzantine specs.</summary>
    public const string ByzantineSyntax = "<fraction>:<attack> with attack signflip | gaussian[:<sigma>] | scaling[:<factor>] | alie[:<z>] | ipm[:<epsilon>] | mimic | nonfinite | labelflip";

    /// <summary>Builds the aggregator named by <paramref name="spec"/>, for example <c>multikrum:2,5</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    /// <exception cref="FormatException">The spec is unknown, malformed, or has an invalid value; the message quotes it.</exception>
    public static IAggregator ParseAggregator(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        (string name, string[] args) = Split(spec);
        return Build<IAggregator>(spec, "aggregator", AggregatorSyntax, () => name switch
        {
            "fedavg" when args.Length == 0 => new FederatedAveraging(),
            "median" when args.Length == 0 => new CoordinateMedian(),
            "geomed" when args.Length == 0 => new GeometricMedianAggregator(),
            "krum" when args.Length == 1 => new KrumAggregator(new KrumOptions { ByzantineCount = Int(spec, args[0], "f"), SelectionCount = 1 }),
            "multikrum" when args.Length is 1 or 2 => new KrumAggregator(new KrumOptions
            {
                ByzantineCount = Int(spec, args[0], "f"),
                SelectionCount = args.Length == 2 ? Int(spec, args[1], "m") : null,
            }),
            "trimmed-mean" when args.Length == 1 => new TrimmedMeanAggregator(args[0].Contains('.', StringComparison.Ordinal)
                ? new TrimmedMeanOptions { TrimFraction = Real(spec, args[0], "fraction") }
                : new TrimmedMeanOptions { TrimCount = Int(spec, args[0], "f") }),
            "bulyan" when args.Length == 1 => new BulyanAggregator(new BulyanOptions { ByzantineCount = Int(spec, args[0], "f") }),
            "cclip" when args.Length == 1 => new CenteredClippingAggregator(new CenteredClippingOptions { Tau = Real(spec, args[0], "tau") }),
            _ => throw Unknown(spec, "aggregator", AggregatorSyntax),
        });
    }

    /// <summary>Wraps <paramref name="inner"/> in the pre-aggregator named by <paramref name="spec"/>, for example <c>nnm:2</c>.</summary>
    /// <param name="spec">The pre-aggregator spec.</param>
    /// <param name="inner">The aggregator that runs after it.</param>
    /// <param name="seed">The seed of bucketing's shuffles.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="FormatException">The spec is unknown, malformed, or has an invalid value; the message quotes it.</exception>
    public static IAggregator ParsePreAggregator(string spec, IAggregator inner, ulong seed = 0)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(inner);
        (string name, string[] args) = Split(spec);
        return Build<IAggregator>(spec, "pre-aggregator", PreAggregatorSyntax, () => (name, args.Length) switch
        {
            ("clip", 1) => new NormClippingPreAggregator(inner, new NormClippingOptions { MaxNorm = Real(spec, args[0], "c") }),
            ("arc", 1) => new AdaptiveClippingPreAggregator(inner, new AdaptiveClippingOptions { ByzantineCount = Int(spec, args[0], "f") }),
            ("nnm", 1) => new NearestNeighborMixingPreAggregator(inner, new NearestNeighborMixingOptions { ByzantineCount = Int(spec, args[0], "f") }),
            ("bucket", 1) => new BucketingPreAggregator(inner, new BucketingOptions { BucketSize = Int(spec, args[0], "s"), Seed = seed }),
            _ => throw Unknown(spec, "pre-aggregator", PreAggregatorSyntax),
        });
    }

    /// <summary>Parses <c>&lt;fraction&gt;:&lt;attack&gt;[:&lt;parameter&gt;]</c>, for example <c>0.2:alie</c> or <c>0.3:ipm:0.5</c>.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="spec"/> is null.</exception>
    /// <exception cref="FormatException">The spec is unknown, malformed, or has an invalid value; the message quotes it.</exception>
    public static ByzantineSpec ParseByzantine(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        string[] parts = spec.Trim().Split(':');
        if (parts.Length is < 2 or > 3)
        {
            throw Unknown(spec, "Byzantine setting", ByzantineSyntax);
        }

        double fraction = Real(spec, parts[0], "fraction");
        if (!(fraction >= 0 && fraction < 1))
        {
            throw new FormatException($"Invalid Byzantine setting '{spec}': the fraction {parts[0]} must be in [0, 1).");
        }

        string name = parts[1].Trim().ToLowerInvariant();
        string? arg = parts.Length == 3 ? parts[2] : null;
        IByzantineAttack attack = Build<IByzantineAttack>(spec, "Byzantine setting", ByzantineSyntax, () => (name, arg) switch
        {
            ("signflip" or "sign-flip", null) => new SignFlipAttack(),
            ("gaussian", _) => new GaussianAttack(arg is null ? GaussianAttack.DefaultSigma : Real(spec, arg, "sigma")),
            ("scaling", _) => new ScalingAttack(arg is null ? ScalingAttack.DefaultFactor : Real(spec, arg, "factor")),
            ("alie", _) => new AlieAttack(arg is null ? null : Real(spec, arg, "z")),
            ("ipm", _) => new IpmAttack(arg is null ? IpmAttack.DefaultEpsilon : Real(spec, arg, "epsilon")),
            ("mimic", null) => new MimicAttack(),
            ("nonfinite" or "nan", null) => new NonFiniteAttack(),
            ("labelflip" or "label-flip", null) => new LabelFlipAttack(),
            _ => throw Unknown(spec, "Byzantine setting", ByzantineSyntax),
        });
        return new ByzantineSpec(fraction, attack);
    }

    private static (string Name, string[] Args) Split(string spec)
    {
        string text = spec.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            return (text.ToLowerInvariant(), []);
        }

        return (text[..colon].Trim().ToLowerInvariant(), text[(colon + 1)..].Split(','));
    }

    private static T Build<T>(string spec, string kind, string syntax, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (OptionsValidationException exception)
        {
            throw new FormatException($"Invalid {kind} '{spec}': {exception.Message}", exception);
        }
        catch (ArgumentOutOfRangeException exception)
        {
            throw new FormatException($"Invalid {kind} '{spec}': {exception.Message} Expected {syntax}.", exception);
        }
    }

    private static FormatException Unknown(string spec, string kind, string syntax) =>
        new($"Unknown {kind} '{spec}'. Expected {syntax}.");

    private static int Int(string spec, string text, string what) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"Invalid '{spec}': {what} must be an integer but is '{text}'.");

    private static double Real(string spec, string text, string what) =>
        double.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value) && double.IsFinite(value)
            ? value
            : throw new FormatException($"Invalid '{spec}': {what} must be a finite number but is '{text}'.");
}
