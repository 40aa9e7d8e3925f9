using System.ComponentModel.DataAnnotations;
using FedLearn.Options;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Options;

public sealed class OptionsValidationTests
{
    [Test]
    public void Valid_options_pass()
    {
        Assert.DoesNotThrow(() => OptionsValidation.ThrowIfInvalid(new SampleOptions(), "Sample"));
        Assert.That(OptionsValidation.Validate(new SampleOptions()), Is.Empty);
    }

    [Test]
    public void Lists_attribute_and_cross_field_errors_together()
    {
        // Count breaks [Range], Name breaks [Required], and Min > Max breaks the cross-field rule, which the
        // framework validator alone would not even run once an attribute failed.
        var options = new SampleOptions { Count = 0, Name = null, Min = 5, Max = 1 };

        var error = Assert.Throws<OptionsValidationException>(() => OptionsValidation.ThrowIfInvalid(options, "Sample"));

        Assert.That(error!.OptionsName, Is.EqualTo("Sample"));
        Assert.That(error.OptionsType, Is.EqualTo(typeof(SampleOptions)));
        Assert.That(error.Failures, Is.EquivalentTo(new[]
        {
            "Sample.Count: must be between 1 and 10",
            "Sample.Name: is required",
            "Sample.Min, Max: Min (5) must not exceed Max (1)",
        }));
    }

    [Test]
    public void Runs_cross_field_rules_when_the_attributes_pass()
    {
        IReadOnlyList<string> failures = OptionsValidation.Validate(new SampleOptions { Min = 3, Max = 2 });

        Assert.That(failures, Is.EqualTo(new[] { "Min, Max: Min (3) must not exceed Max (2)" }));
    }

    [Test]
    public void A_rule_without_a_member_is_reported_with_the_options_name()
    {
        var error = Assert.Throws<OptionsValidationException>(() => OptionsValidation.ThrowIfInvalid(new Unnamed(), "Things"));
        Assert.That(error!.Message, Is.EqualTo("Things: the whole thing is wrong"));
    }

    [Test]
    public void Rejects_null_arguments()
    {
        Assert.Throws<ArgumentNullException>(() => OptionsValidation.ThrowIfInvalid(null!, "x"));
        Assert.Throws<ArgumentNullException>(() => OptionsValidation.ThrowIfInvalid(new SampleOptions(), null!));
    }

    private sealed class SampleOptions : IValidatableObject
    {
        [System.ComponentModel.DataAnnotations.Range(1, 10, ErrorMessage = "must be between 1 and 10")]
        public int Count { get; set; } = 3;

        [Required(ErrorMessage = "is required")]
        public string? Name { get; set; } = "ok";

        public int Min { get; set; }

        public int Max { get; set; } = 1;

        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            if (Min > Max)
            {
                yield return new ValidationResult($"Min ({Min}) must not exceed Max ({Max})", [nameof(Min), nameof(Max)]);
            }
        }
    }

    private sealed class Unnamed : IValidatableObject
    {
        public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
        {
            yield return new ValidationResult("the whole thing is wrong");
        }
    }
}
