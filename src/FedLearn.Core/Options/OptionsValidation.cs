using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FedLearn.Options;

/// <summary>
/// Validates an options object with its data annotations (<see cref="RangeAttribute"/>, <see cref="RequiredAttribute"/>, ...)
/// and <see cref="IValidatableObject"/> cross-field rules, and throws one exception that lists every error.
/// Components call it when they are built, so bad settings fail at start-up, not mid-run.
/// </summary>
public static class OptionsValidation
{
    /// <summary>Throws when <paramref name="options"/> is invalid.</summary>
    /// <param name="options">The options object.</param>
    /// <param name="name">The name used in the message (usually the options type name).</param>
    /// <exception cref="OptionsValidationException">One or more rules failed; <see cref="OptionsValidationException.Failures"/> lists them all.</exception>
    public static void ThrowIfInvalid(object options, string name)
    {
        IReadOnlyList<string> failures = Validate(options);
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name, options.GetType(), failures);
        }
    }

    /// <summary>Every validation error of <paramref name="options"/>, each naming the property; empty when valid.</summary>
    public static IReadOnlyList<string> Validate(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        // TryValidateObject skips IValidatableObject when attributes fail; run both so every error is listed at once.
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (options is IValidatableObject validatable && results.Count > 0)
        {
            results.AddRange(validatable.Validate(new ValidationContext(options)));
        }

        return results
            .Select(r => r.MemberNames.Any() ? $"{string.Join(", ", r.MemberNames)}: {r.ErrorMessage}" : r.ErrorMessage ?? "invalid")
            .Distinct(StringComparer.Ordinal)
            .ToArray();
    }
}
