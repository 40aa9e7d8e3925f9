using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace FedLearn.Torch;

/// <summary>
/// Validates an options object when the component that uses it is built: every data annotation on every property
/// and the cross-field rules of <see cref="IValidatableObject"/>, reported together in one exception.
/// </summary>
internal static class OptionsCheck
{
    /// <summary>Throws one <see cref="OptionsValidationException"/> listing every broken rule (<c>Name.Property: message</c>).</summary>
    public static void ThrowIfInvalid(object options, string name)
    {
        var results = new List<ValidationResult>();
        bool attributesValid = Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        if (!attributesValid && options is IValidatableObject validatable)
        {
            // The validator skips the cross-field rules once an attribute fails; run them so the list is complete.
            results.AddRange(validatable.Validate(new ValidationContext(options)));
        }

        var failures = new List<string>();
        foreach (ValidationResult result in results)
        {
            string members = string.Join(", ", result.MemberNames);
            string line = members.Length == 0 ? $"{name}: {result.ErrorMessage}" : $"{name}.{members}: {result.ErrorMessage}";
            if (!failures.Contains(line, StringComparer.Ordinal))
            {
                failures.Add(line);
            }
        }

        if (failures.Count > 0)
        {
            throw new OptionsValidationException(name, options.GetType(), failures);
        }
    }
}
