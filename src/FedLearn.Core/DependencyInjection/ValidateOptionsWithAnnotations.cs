using FedLearn.Options;
using Microsoft.Extensions.Options;

namespace FedLearn.DependencyInjection;

/// <summary>
/// Validates options registered in a container with their data annotations and <see cref="System.ComponentModel.DataAnnotations.IValidatableObject"/>
/// rules, reporting every failure at once (used with <c>ValidateOnStart</c>).
/// </summary>
/// <typeparam name="TOptions">The options type.</typeparam>
internal sealed class ValidateOptionsWithAnnotations<TOptions> : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        IReadOnlyList<string> failures = OptionsValidation.Validate(options);
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures.Select(f => $"{typeof(TOptions).Name}.{f}"));
    }
}
