using System.Globalization;

namespace FedLearn.Optimizers;

/// <summary>Builds server optimizers from their short names, for command lines and configuration files.</summary>
public static class ServerOptimizers
{
    /// <summary>The names <see cref="Parse"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["fedavg", "fedavgm", "fedadam", "fedyogi", "fedadagrad"];

    /// <summary>
    /// Creates the optimizer named by <paramref name="specification"/>, with its defaults from
    /// <see cref="ServerOptimizerDefaults"/> except for the server learning rate when one is given.
    /// </summary>
    /// <param name="specification">
    /// <c>fedavg</c>, <c>fedavgm</c>, <c>fedadam</c>, <c>fedyogi</c> or <c>fedadagrad</c> (case-insensitive), optionally
    /// followed by <c>:η</c>, the server learning rate in invariant culture (for example <c>fedadam:0.01</c>).
    /// </param>
    /// <param name="serverLearningRate">The server learning rate η; overrides the default. Give it here or in the specification, not both.</param>
    /// <returns>A new optimizer with empty state.</returns>
    /// <exception cref="ArgumentException">The name is unknown, the learning rate is not a number, or it is given twice.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The learning rate is not positive and finite.</exception>
    public static IServerOptimizer Parse(string specification, double? serverLearningRate = null)
    {
        ArgumentNullException.ThrowIfNull(specification);
        string text = specification.Trim();
        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string name = (colon < 0 ? text : text[..colon]).Trim().ToLowerInvariant();
        if (colon >= 0)
        {
            string rateText = text[(colon + 1)..].Trim();
            if (!double.TryParse(rateText, NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
            {
                throw new ArgumentException(
                    $"The server learning rate '{rateText}' in '{specification}' is not a number (use invariant culture, for example 'fedadam:0.01').",
                    nameof(specification));
            }

            if (serverLearningRate is not null)
            {
                throw new ArgumentException(
                    $"The server learning rate is given twice: '{specification}' and {serverLearningRate.Value.ToString(CultureInfo.InvariantCulture)}; give it once.",
                    nameof(serverLearningRate));
            }

            serverLearningRate = parsed;
        }

        return name switch
        {
            "fedavg" => new FedAvgOptimizer(new FedAvgOptions { ServerLearningRate = serverLearningRate ?? ServerOptimizerDefaults.FedAvgLearningRate }),
            "fedavgm" => new FedAvgMOptimizer(new FedAvgMOptions { ServerLearningRate = serverLearningRate ?? ServerOptimizerDefaults.FedAvgMLearningRate }),
            "fedadam" => new FedAdamOptimizer(new FedAdamOptions { ServerLearningRate = serverLearningRate ?? ServerOptimizerDefaults.FedAdamLearningRate }),
            "fedyogi" => new FedYogiOptimizer(new FedYogiOptions { ServerLearningRate = serverLearningRate ?? ServerOptimizerDefaults.FedYogiLearningRate }),
            "fedadagrad" => new FedAdagradOptimizer(new FedAdagradOptions { ServerLearningRate = serverLearningRate ?? ServerOptimizerDefaults.FedAdagradLearningRate }),
            _ => throw new ArgumentException(
                $"Unknown server optimizer '{specification}'. Use one of {string.Join(", ", Names)}, optionally with ':<server learning rate>' (for example 'fedadam:0.01').",
                nameof(specification)),
        };
    }
}
