using System.ComponentModel.DataAnnotations;

namespace FedLearn.Client;

/// <summary>Settings of a <see cref="FederatedClient"/> registered with <c>AddFedLearnClient</c>.</summary>
public sealed class FederatedClientOptions
{
    /// <summary>The client's identity as the server knows it (for example its certificate's subject).</summary>
    /// <value>No default: required.</value>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression(@"^[A-Za-z0-9][A-Za-z0-9._\-]{0,127}$", ErrorMessage = "ClientId must be 1 to 128 letters, digits, '.', '_' or '-', starting with a letter or digit.")]
    public string ClientId { get; set; } = string.Empty;
}
