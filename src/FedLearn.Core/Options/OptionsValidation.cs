using System.ComponentModel.DataAnnotations;
using System.Reflection;
using Microsoft.Extensions.Options;

namespace FedLearn.Options;

/// <summary>
/// Validates an options object when the component that uses it is built: every data annotation
/// (<see cref="RangeAttribute"/>, <see cref="RequiredAttribute"/>, ...) on every property, and the cross-field rules of
/// <see cref="IValidatableObject"/>, reported together in one exception so a user fixes all settings in one go.
/// </summary>
/// <remarks>
/// Unlike <see cref="Validator.TryValidateObject(object, ValidationContext, ICollection{ValidationResult}?, bool)"/>, which
/// stops before <see cref="IValidatableObject.Validate"/> when an attribute fails, this helper runs the cross-field
/// rules in that case too, so the list is complete. Cross-field rules must therefore cope with values that broke an attribute.
/// Thread-safe; it keeps no state.
/// </remarks>
public static class OptionsValidation
{
    /// <summary>Throws when <paramref name="options"/> breaks any rule, listing every broken rule.</summary>
    /// <param name="options">The options object to check.</param>
    /// <param name="name">The name shown in the message, usually the options type name (for example <c>FedAdamOptions</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> or <paramref name="name"/> is null.</exception>
    /// <exception cref="OptionsValidationException">
    /// One or more rules failed; <see cref="OptionsValidationException.Failures"/> holds one entry per failure, of the
    /// form <c>Name.Property: message</c> (<c>Name: message</c> when the rule names no property), and the exception
    /// message joins them with <c>"; "</c>.
    /// </exception>
    public static void ThrowIfInvalid(object options, string name)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(name);
        List<string> failures = Collect(options, name + ".", name + ": ");
        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name, options.GetType(), failures);
        }
    }

    /// <summary>Every rule <paramref name="options"/> breaks, in declaration order; empty when it is valid.</summary>
    /// <param name="options">The options object to check.</param>
    /// <returns>One line per failure, of the form <c>Property: message</c> (just the message when no property is named).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="options"/> is null.</exception>
    public static IReadOnlyList<string> Validate(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return Collect(options, memberPrefix: string.Empty, plainPrefix: string.Empty);
    }

    private static List<string> Collect(object options, string memberPrefix, string plainPrefix)
    {
        // Attributes property by property, then the cross-field rules exactly once: Validator.TryValidateObject would
        // skip the cross-field rules whenever an attribute fails, hiding errors.
        var results = new List<ValidationResult>();
        foreach (PropertyInfo property in options.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.GetIndexParameters().Length > 0 || !property.IsDefined(typeof(ValidationAttribute), inherit: true))
            {
                continue;
            }

            var context = new ValidationContext(options) { MemberName = property.Name };
            Validator.TryValidateProperty(property.GetValue(options), context, results);
        }

        if (options is IValidatableObject validatable)
        {
            results.AddRange(validatable.Validate(new ValidationContext(options)));
        }

        var lines = new List<string>(results.Count);
        foreach (ValidationResult result in results)
        {
            if (result == ValidationResult.Success)
            {
                continue;
            }

            string message = result.ErrorMessage ?? "is invalid.";
            string members = string.Join(", ", result.MemberNames);
            string line = members.Length == 0 ? plainPrefix + message : $"{memberPrefix}{members}: {message}";
            if (!lines.Contains(line, StringComparer.Ordinal))
            {
                lines.Add(line);
            }
        }

        return lines;
    }
}
