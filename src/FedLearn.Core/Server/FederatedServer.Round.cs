using System.Diagnostics;
using System.Numerics.Tensors;
using FedLearn.SecureAggregation;
using FedLearn.Transport;

namespace FedLearn.Server;

public sealed partial class FederatedServer
{
    private async Task<RoundResult> ExecuteRoundAsync(int round, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        IReadOnlyCollection<string>? available = await WaitForClientsAsync(cancellationToken).ConfigureAwait(false);
        TimeSpan waited = watch.Elapsed;
        if (available is null)
        {
            int connected = _transport.GetAvailableClients().Count;
            return Failed(round, $"only {connected} of the {_options.MinAvailableClients} required clients were connected after {_options.AvailabilityTimeout}.", [], [], new RoundTimings { WaitForClients = waited });
        }

        string[] eligible = available.Where(id => _pipeline.Eligibility?.IsEligible(id, round) ?? true).ToArray();
        if (eligible.Length < _options.MinFitClients)
        {
            return Failed(round, $"only {eligible.Length} eligible clients are connected; the quorum is {_options.MinFitClients}.", [], [], new RoundTimings { WaitForClients = waited });
        }

        int size = ClientSampler.SampleSize(eligible.Length, _options.FractionFit, _options.MinFitClients);
        string[] sampled = ClientSampler.Sample(eligible, size, _options.Seed, round, ClientSampler.FitPurpose);
        foreach (IRoundObserver observer in _pipeline.Observers)
        {
            observer.OnRoundStarted(round, sampled);
        }

        // Secure aggregation first runs its set-up stages; only the clients that completed them train.
        ISecureAggregationProtocol? secure = _pipeline.SecureAggregation;
        SecureAggregationSetup setup = new() { Participants = sampled };
        if (secure is not null)
        {
            setup = await secure.SetUpAsync(round, sampled, _weights.Length, new SecureStages(this, round), cancellationToken).ConfigureAwait(false);
            if (setup.FailureReason is { } setupProblem)
            {
                return Failed(round, $"secure aggregation '{secure.Name}' could not set up the round: {setupProblem}", sampled, [.. setup.Failures], new RoundTimings { WaitForClients = waited });
            }
        }

        // Stage 1: training.
        ModelWeights global = _weights;
        var fitWatch = Stopwatch.StartNew();
        ExchangeResult fit = await ExchangeAsync(
            round,
            [.. setup.Participants],
            id => new FitInstruction(round, global, FitConfigFor(round, id)),
            _options.MinFitClients,
            notifyObservers: true,
            cancellationToken).ConfigureAwait(false);
        TimeSpan fitTime = fitWatch.Elapsed;

        // Stage 2: validate and decode what arrived, in sampled order (the aggregation order).
        var decodeWatch = Stopwatch.StartNew();
        var failures = new List<ClientFailure>(setup.Failures.Concat(fit.Failures));
        var updates = new List<WeightedUpdate>();
        var protectedUpdates = new List<ClientUpdate>();
        var trainingParts = new List<EvaluationMetrics>();
        long bytesUp = setup.BytesUp;
        TimeSpan slowest = TimeSpan.Zero;
        TimeSpan trainingSum = TimeSpan.Zero;
        foreach ((string clientId, ClientMessage reply) in fit.Replies)
        {
            bytesUp += reply.ByteSize;
            ClientUpdate? update;
            float[]? values = null;
            ClientFailure? failure;
            bool accepted = secure is null
                ? TryAccept(round, clientId, reply, global.Length, out update, out values, out failure)
                : TryAcceptProtected(round, clientId, reply, global.Length, out update, out failure);
            if (!accepted || update is null)
            {
                failures.Add(failure!);
                continue;
            }

            if (values is not null)
            {
                updates.Add(new WeightedUpdate(clientId, values, update.ExampleCount));
            }
            else
            {
                protectedUpdates.Add(update);
            }

            trainingParts.Add(new EvaluationMetrics(update.Metrics.Loss, update.Metrics.Accuracy, update.ExampleCount));
            _clientTraining.Record(clientId, update.Metrics);
            slowest = update.Metrics.Duration > slowest ? update.Metrics.Duration : slowest;
            trainingSum += update.Metrics.Duration;
        }

        IReadOnlyList<ClientFlag> flagged = secure is null ? _pipeline.Screener?.Screen(round, updates) ?? [] : [];
        var exclusions = new List<ClientExclusion>();
        var excludedIds = new HashSet<string>(flagged.Where(f => f.Exclude).Select(f => f.ClientId), StringComparer.Ordinal);
        if (excludedIds.Count > 0)
        {
            exclusions.AddRange(flagged.Where(f => f.Exclude).Select(f => new ClientExclusion(f.ClientId, $"screening: {f.Reason}")));
            updates.RemoveAll(u => excludedIds.Contains(u.ClientId));
        }

        TimeSpan decodeTime = decodeWatch.Elapsed;
        long bytesDown = (setup.Participants.Count * ((long)global.Length * sizeof(float))) + setup.BytesDown;
        var timings = new RoundTimings { WaitForClients = waited, Fit = fitTime, SlowestClientTraining = slowest, TotalClientTraining = trainingSum, Decode = decodeTime };
        RoundResult partial = new()
        {
            Round = round,
            Succeeded = false,
            Sampled = sampled,
            Failures = failures,
            Flagged = flagged,
            Excluded = exclusions,
            Training = trainingParts.Count > 0 ? EvaluationMetrics.WeightedMean(trainingParts) : null,
            BytesDown = bytesDown,
            BytesUp = bytesUp,
            DenseBytesUp = (long)fit.Replies.Count * global.Length * sizeof(float),
            Timings = timings,
        };

        int usable = secure is null ? updates.Count : protectedUpdates.Count;
        if (usable < _options.MinFitClients)
        {
            return partial with { FailureReason = QuorumMessage(usable, sampled.Length, failures, exclusions) };
        }

        // Stage 3: aggregate and step the server optimizer on a copy, so the published weights never change under a reader.
        var aggregateWatch = Stopwatch.StartNew();
        float[] delta = new float[global.Length];
        AggregationResult aggregation;
        IReadOnlyList<string> aggregatedIds = updates.Select(u => u.ClientId).ToArray();
        if (secure is not null)
        {
            SecureAggregationResult secured = await secure.AggregateAsync(round, protectedUpdates, delta, new SecureStages(this, round), cancellationToken).ConfigureAwait(false);
            failures.AddRange(secured.Failures);
            bytesDown += secured.BytesDown;
            partial = partial with { BytesUp = partial.BytesUp + secured.BytesUp, BytesDown = bytesDown };
            if (!secured.Succeeded)
            {
                return partial with { FailureReason = $"secure aggregation '{secure.Name}' failed: {secured.FailureReason}" };
            }

            aggregation = AggregationResult.Empty;
            aggregatedIds = secured.Aggregated;
        }
        else
        {
            try
            {
                // Replies the server rejected and updates screening proved faulty came from faulty clients, so they count
                // against the f that a robust rule tolerates; the rule then needs fewer updates than f alone would ask.
                int removedFaulty = failures.Count(f => f.Kind == ClientFailureKind.Rejected) + flagged.Count(f => f.Exclude && f.CertainlyFaulty);
                aggregation = _pipeline.Aggregator.Aggregate(updates, delta, new AggregationContext { RemovedFaulty = removedFaulty });
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException)
            {
                return partial with { FailureReason = $"aggregator '{_pipeline.Aggregator.Name}' failed: {exception.Message}" };
            }
        }

        if (!float.IsFinite(delta.Length == 0 ? 0f : TensorPrimitives.MaxMagnitude(delta)))
        {
            return partial with { FailureReason = $"aggregator '{_pipeline.Aggregator.Name}' produced non-finite values; the global model was left unchanged." };
        }

        ModelWeights next = global.Clone();
        _pipeline.Optimizer.Step(next.AsSpan(), delta);
        _weights = next;
        exclusions.AddRange(aggregation.Excluded);
        var excludedByAggregator = new HashSet<string>(aggregation.Excluded.Select(e => e.ClientId), StringComparer.Ordinal);
        TimeSpan aggregateTime = aggregateWatch.Elapsed;

        // Stage 4: evaluation.
        var evaluateWatch = Stopwatch.StartNew();
        bool evaluateNow = round % _options.EvaluateEvery == 0 || round == _options.Rounds;
        EvaluationMetrics? federated = null;
        IReadOnlyList<ClientFailure> evaluationFailures = [];
        if (evaluateNow && _options.FractionEvaluate > 0)
        {
            (federated, evaluationFailures, long evaluationBytes) = await EvaluateFederatedAsync(round, eligible, next, cancellationToken).ConfigureAwait(false);
            bytesDown += evaluationBytes;
        }

        EvaluationMetrics? central = null;
        if (evaluateNow && _pipeline.CentralEvaluator is { } evaluator)
        {
            central = await evaluator.EvaluateAsync(next, round, cancellationToken).ConfigureAwait(false);
        }

        return partial with
        {
            Succeeded = true,
            Aggregated = aggregatedIds.Where(id => !excludedByAggregator.Contains(id)).ToArray(),
            Excluded = exclusions,
            Scores = aggregation.Scores,
            FederatedEvaluation = federated,
            EvaluationFailures = evaluationFailures,
            CentralEvaluation = central,
            BytesDown = bytesDown,
            Timings = timings with { Aggregate = aggregateTime, Evaluate = evaluateWatch.Elapsed },
        };
    }

    private FitConfig FitConfigFor(int round, string clientId) => new()
    {
        Round = round,
        LocalEpochs = _options.LocalEpochs,
        BatchSize = _options.BatchSize,
        LearningRate = _options.LearningRateFor(round),
        ProximalMu = _options.ProximalMu,
        Seed = Seeds.Derive(_options.Seed, clientId, round),
    };

    private bool TryAccept(
        int round,
        string clientId,
        ClientMessage reply,
        int length,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out ClientUpdate? update,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out float[]? values,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(false)] out ClientFailure? failure)
    {
        update = null;
        values = null;
        failure = null;
        switch (reply)
        {
            case ErrorReply error:
                failure = new ClientFailure(clientId, ClientFailureKind.Error, error.Error);
                return false;
            case not FitReply:
                failure = new ClientFailure(clientId, ClientFailureKind.Rejected, $"expected a fit reply but got {reply.GetType().Name}.");
                return false;
        }

        update = ((FitReply)reply).Update;
        string? problem =
            update.ClientId != clientId ? $"the update claims to come from '{update.ClientId}'." :
            update.Round != round ? $"the update is for round {update.Round}, not {round}." :
            update.ExampleCount <= 0 ? $"the update reports {update.ExampleCount} training examples." :
            update.Payload.ElementCount != length ? $"the update has {update.Payload.ElementCount} values; the model has {length}." :
            null;
        if (problem is null)
        {
            problem = Decode(update.Payload, length, out values);
        }

        if (problem is not null || values is null)
        {
            failure = new ClientFailure(clientId, ClientFailureKind.Rejected, problem ?? "the update could not be decoded.");
            return false;
        }

        return true;
    }

    private string? Decode(UpdatePayload payload, int length, out float[]? values)
    {
        values = null;
        switch (payload)
        {
            case DenseUpdatePayload dense:
                values = dense.Values;
                break;
            case EncodedUpdatePayload encoded when _pipeline.Compressor is { } compressor:
                values = new float[length];
                try
                {
                    compressor.Decompress(encoded.Bytes.Span, values);
                }
                catch (FedLearnFormatException exception)
                {
                    return $"the payload could not be decoded: {exception.Message}";
                }

                break;
            case EncodedUpdatePayload:
                return "the update is encoded but the server has no compressor to decode it.";
            default:
                return $"the server cannot read a {payload.GetType().Name}.";
        }

        return length > 0 && !float.IsFinite(TensorPrimitives.MaxMagnitude(values)) ? "the update contains NaN or infinite values." : null;
    }

    private async Task<(EvaluationMetrics? Metrics, IReadOnlyList<ClientFailure> Failures, long Bytes)> EvaluateFederatedAsync(
        int round, string[] eligible, ModelWeights weights, CancellationToken cancellationToken)
    {
        if (eligible.Length < _options.MinEvaluateClients)
        {
            return (null, [], 0);
        }

        int size = ClientSampler.SampleSize(eligible.Length, _options.FractionEvaluate, _options.MinEvaluateClients);
        string[] sampled = ClientSampler.Sample(eligible, size, _options.Seed, round, ClientSampler.EvaluatePurpose);
        ExchangeResult exchange = await ExchangeAsync(round, sampled, _ => new EvaluateInstruction(round, weights), _options.MinEvaluateClients, notifyObservers: false, cancellationToken).ConfigureAwait(false);
        var failures = new List<ClientFailure>(exchange.Failures);
        var parts = new List<EvaluationMetrics>();
        foreach ((string clientId, ClientMessage reply) in exchange.Replies)
        {
            if (reply is EvaluateReply { Metrics: var metrics } evaluation && evaluation.ClientId == clientId && evaluation.Round == round)
            {
                parts.Add(metrics);
            }
            else
            {
                failures.Add(reply is ErrorReply error
                    ? new ClientFailure(clientId, ClientFailureKind.Error, error.Error)
                    : new ClientFailure(clientId, ClientFailureKind.Rejected, $"expected an evaluation reply for round {round} from '{clientId}'."));
            }
        }

        EvaluationMetrics? result = parts.Count >= _options.MinEvaluateClients ? EvaluationMetrics.WeightedMean(parts) : null;
        return (result, failures, sampled.Length * ((long)weights.Length * sizeof(float)));
    }

    private async Task<IReadOnlyCollection<string>?> WaitForClientsAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            IReadOnlyCollection<string> available = _transport.GetAvailableClients();
            if (available.Count >= _options.MinAvailableClients)
            {
                return available;
            }

            if (deadline.Elapsed >= _options.AvailabilityTimeout)
            {
                return null;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
        }
    }

    private string QuorumMessage(int usable, int sampled, List<ClientFailure> failures, List<ClientExclusion> exclusions)
    {
        string details = string.Join("; ", failures.Select(f => $"{f.ClientId}: {f.Kind.ToString().ToLowerInvariant()} ({f.Message})")
            .Concat(exclusions.Select(e => $"{e.ClientId}: excluded ({e.Reason})")));
        return $"only {usable} of {sampled} sampled clients delivered a usable update; the quorum is {_options.MinFitClients}. {details}".TrimEnd();
    }

    private static RoundResult Failed(int round, string reason, string[] sampled, List<ClientFailure> failures, RoundTimings timings) =>
        new() { Round = round, Succeeded = false, FailureReason = reason, Sampled = sampled, Failures = failures, Timings = timings };
}
