using System.Text.Json;
using FedLearn.Aggregation;
using FedLearn.Logging;
using FedLearn.Optimizers;
using FedLearn.Server;
using FedLearn.Simulation;
using FedLearn.Training;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using NUnit.Framework;

namespace FedLearn.Core.Tests.Logging;

[TestFixture]
public sealed class FedLearnJsonConsoleFormatterTests
{
    [Test]
    public void A_message_in_a_client_scope_is_one_flat_json_line_with_round_and_client_id()
    {
        FedLearnJsonConsoleFormatter formatter = Resolve();
        var scopes = new LoggerExternalScopeProvider();
        using IDisposable round = scopes.Push(LogScope.ForRound(3));
        using IDisposable client = scopes.Push(LogScope.ForClient("c7", 3));
        var output = new StringWriter();
        var state = new Dictionary<string, object?> { ["Loss"] = 0.25, ["{OriginalFormat}"] = "loss {Loss}" };

        formatter.Write(new LogEntry<Dictionary<string, object?>>(LogLevel.Warning, "FedLearn.Client.FederatedClient", new EventId(0), state, null, (_, _) => "loss 0.25"), scopes, output);

        string text = output.ToString();
        Assert.That(text.Count(c => c == '\n'), Is.EqualTo(1), "one object per line");
        JsonElement json = JsonDocument.Parse(text).RootElement;
        Assert.That(json.GetProperty("round").GetInt32(), Is.EqualTo(3));
        Assert.That(json.GetProperty("client_id").GetString(), Is.EqualTo("c7"));
        Assert.That(json.GetProperty("level").GetString(), Is.EqualTo("Warning"));
        Assert.That(json.GetProperty("category").GetString(), Is.EqualTo("FedLearn.Client.FederatedClient"));
        Assert.That(json.GetProperty("message").GetString(), Is.EqualTo("loss 0.25"));
        Assert.That(json.GetProperty("Loss").GetDouble(), Is.EqualTo(0.25));
        Assert.That(json.TryGetProperty("{OriginalFormat}", out _), Is.False);
        Assert.That(DateTimeOffset.Parse(json.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture), Is.EqualTo(DateTimeOffset.UtcNow).Within(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void An_exception_is_a_field_of_the_same_line()
    {
        var output = new StringWriter();
        var error = new InvalidOperationException("boom\nsecond line");

        Resolve().Write(new LogEntry<string>(LogLevel.Error, "x", new EventId(5), "failed", error, (s, _) => s), new LoggerExternalScopeProvider(), output);

        JsonElement json = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.That(output.ToString().TrimEnd('\n').Contains('\n', StringComparison.Ordinal), Is.False);
        Assert.That(json.GetProperty("exception").GetString(), Does.Contain("boom\nsecond line"));
        Assert.That(json.GetProperty("event_id").GetInt32(), Is.EqualTo(5));
    }

    [Test]
    public async Task The_server_logs_each_round_inside_a_scope_that_carries_the_round()
    {
        var provider = new CapturingProvider();
        using ILoggerFactory factory = LoggerFactory.Create(b => b.AddProvider(provider).SetMinimumLevel(LogLevel.Debug));
        var data = FedLearn.Data.FederatedDataLoader.GetOrCreate(new FedLearn.Data.FederatedDataOptions { ClientCount = 4, TrainSubset = 2000, Seed = 1 });
        var simulation = new FederatedSimulation(
            new SimulationOptions { ClientCount = 4, MaxParallelism = 2 },
            new FederatedServerOptions { Rounds = 2, FractionFit = 1, MinFitClients = 2, MinAvailableClients = 4, LearningRate = 0.05 },
            SoftmaxRegressionTrainer.CreateInitialWeights(784, 10, seed: 1),
            new ServerPipeline { Aggregator = new FederatedAveraging(), Optimizer = new FedAvgOptimizer() },
            i => new SoftmaxRegressionTrainer(data.GetClient(i).Train, data.GetClient(i).Test),
            loggerFactory: factory);

        await simulation.RunAsync();

        var serverRounds = provider.Entries.Where(e => e.Category == typeof(FederatedServer).FullName && e.Message.StartsWith("Round ", StringComparison.Ordinal)).ToArray();
        Assert.That(serverRounds.Select(e => e.Fields.GetValueOrDefault(LogFields.Round)), Is.EqualTo(new object[] { 1, 2 }));
        var clientLines = provider.Entries.Where(e => e.Category == typeof(Client.FederatedClient).FullName).ToArray();
        Assert.That(clientLines, Is.Not.Empty);
        Assert.That(clientLines.All(e => e.Fields.ContainsKey(LogFields.ClientId) && e.Fields.ContainsKey(LogFields.Round)), Is.True);
    }

    private static FedLearnJsonConsoleFormatter Resolve()
    {
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddFedLearnJsonConsole());
        using ServiceProvider provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IOptions<ConsoleLoggerOptions>>().Value.FormatterName, Is.EqualTo(FedLearnJsonConsoleFormatter.FormatterName));
        ConsoleFormatter formatter = provider.GetServices<ConsoleFormatter>().Single(f => f.Name == FedLearnJsonConsoleFormatter.FormatterName);
        return (FedLearnJsonConsoleFormatter)formatter;
    }

    private sealed record Entry(string Category, string Message, Dictionary<string, object?> Fields);

    /// <summary>Records every message with the fields of the scopes active when it was logged.</summary>
    private sealed class CapturingProvider : ILoggerProvider, ISupportExternalScope
    {
        private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

        public System.Collections.Concurrent.ConcurrentQueue<Entry> Entries { get; } = new();

        public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

        public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

        public void Dispose()
        {
        }

        private sealed class Logger(CapturingProvider owner, string category) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state)
                where TState : notnull => owner._scopes.Push(state);

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
            {
                var fields = new Dictionary<string, object?>();
                owner._scopes.ForEachScope(
                    (scope, f) =>
                    {
                        if (scope is IEnumerable<KeyValuePair<string, object?>> pairs)
                        {
                            foreach ((string key, object? value) in pairs)
                            {
                                f[key] = value;
                            }
                        }
                    },
                    fields);
                owner.Entries.Enqueue(new Entry(category, formatter(state, exception), fields));
            }
        }
    }
}
