using System.Globalization;
using FedLearn;
using FedLearn.Privacy.Accounting;

// Prints the figures of docs/results/privacy.md: the RDP accountant next to the reference values it is tested
// against, noise calibration, and a client-level ledger for a simulated run.
// Usage: dotnet run --project samples/FedLearn.Samples.PrivacyReport -c Release
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

Console.WriteLine("## Accountant (default orders 1.1 … 10.9, 12 … 63; Balle et al. 2020 conversion)");
Console.WriteLine();
Console.WriteLine("| σ | q | steps | δ | ε (FedLearn) | optimal α | reference ε | relative difference |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
Row(1.5, 0.04, (long)(90 / 0.04), 1e-5, reference: 7.32911117143);
Row(1.1, 256.0 / 60_000, (long)(60 / (256.0 / 60_000)), 1e-5, reference: null);
Row(1.0, 0.01, 10_000, 1e-5, reference: null);
Row(0.8, 0.1, 100, 1e-5, reference: null);
Row(4.0, 0.01, 10_000, 1e-6, reference: null);
Row(1.0, 1.0, 1, 1e-5, reference: null);

var mixed = new RdpAccountant(Enumerable.Range(2, 31).Select(a => (double)a));
mixed.AddSteps(1.0, 1e-5, 10);
mixed.AddSteps(3.0, 1e-4, 4);
PrivacySpent mixedSpent = mixed.GetSpent(1e-5);
Console.WriteLine();
Console.WriteLine("Heterogeneous history [(σ 1.0, q 1e-5, 10 steps), (σ 3.0, q 1e-4, 4 steps)], orders 2 … 32, δ 1e-5:");
Console.WriteLine($"ε = {mixedSpent.Epsilon:F6} at α = {mixedSpent.Order} (reference: 0.336 at α = 23)");

Console.WriteLine();
Console.WriteLine("## PRV accountant next to RDP (δ = 1e-6, ε_error = 0.01; PRV's upper bound is the figure to report)");
Console.WriteLine();
Console.WriteLine("| σ | q | steps | ε RDP | ε PRV lower | ε PRV estimate | ε PRV upper | reference PRV ε |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
PrvRow(0.8, 0.001, 100, 0.270403364058018680360362395731);
PrvRow(1.5, 0.05, 100, 1.95385313568420015961635272106);
PrvRow(0.8, 0.2, 100, 24.3336641779225644199868838768);
PrvRow(1.5, 0.05, 1000, 6.20996924657726712126759593957);
PrvRow(3.0, 0.05, 20000, 13.9611146992367061159256991232);
PrvRow(2.0, 0.001, 100000, 0.706719901081851564761393547087);

Console.WriteLine();
Console.WriteLine("## Noise calibration (doubling from [0, 10], then bisection until target − ε ≤ tolerance)");
Console.WriteLine();
Console.WriteLine("| target ε | δ | q | steps | tolerance | σ (FedLearn) | ε at σ | reference σ |");
Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
Calibrate(8, 1e-5, 0.04, NoiseCalibration.StepsFor(90, 0.04), NoiseCalibration.DefaultEpsilonTolerance, "1.416 (4 places)");
Calibrate(8, 1e-5, 0.04, 2000, NoiseCalibration.DefaultEpsilonTolerance, "1.3562 (4 places)");
double fashionRate = 256.0 / 60_000;
foreach (double target in new[] { 1.0, 3.0, 5.0, 10.0 })
{
    Calibrate(target, 1e-5, fashionRate, NoiseCalibration.StepsFor(30, fashionRate), 1e-3, "—");
}

Console.WriteLine();
Console.WriteLine("## Client-level ledger (1,000 clients, each sampled with q = 0.05 per round, σ = 1.0, 200 rounds, δ = 1e-5)");
Console.WriteLine();
var ledger = new ClientPrivacyLedger();
var random = new DeterministicRandom(2026);
string[] population = [.. Enumerable.Range(0, 1000).Select(i => $"client-{i:D4}")];
for (int round = 0; round < 200; round++)
{
    ledger.RecordRound(population.Where(_ => random.NextDouble() < 0.05), 1.0, 0.05);
}

double[] perClient = [.. population.Select(c => ledger.GetClientSpent(c, 1e-5).Epsilon).Order()];
long[] rounds = [.. population.Select(ledger.ParticipationCount).Order()];
Console.WriteLine($"server view (every round at q = 0.05): ε = {ledger.GetServerSpent(1e-5).Epsilon:F3}");
Console.WriteLine($"per-client ledger: rounds taken part in min {rounds[0]}, median {rounds[500]}, max {rounds[^1]}; " +
    $"ε min {perClient[0]:F3}, median {perClient[500]:F3}, max {perClient[^1]:F3}");

static void Row(double sigma, double q, long steps, double delta, double? reference)
{
    var accountant = new RdpAccountant();
    accountant.AddSteps(sigma, q, steps);
    PrivacySpent spent = accountant.GetSpent(delta);
    string referenceText = reference is double r ? r.ToString("R", CultureInfo.InvariantCulture) : "—";
    string difference = reference is double e ? (Math.Abs(spent.Epsilon - e) / e).ToString("E2", CultureInfo.InvariantCulture) : "—";
    Console.WriteLine($"| {sigma} | {q:G6} | {steps} | {delta:G} | {spent.Epsilon:F8} | {spent.Order} | {referenceText} | {difference} |");
}

static void PrvRow(double sigma, double q, long steps, double reference)
{
    var rdp = new RdpAccountant();
    rdp.AddSteps(sigma, q, steps);
    var prv = new PrvAccountant();
    prv.AddSteps(sigma, q, steps);
    PrvEpsilon epsilon = prv.GetEpsilon(1e-6);
    Console.WriteLine($"| {sigma} | {q} | {steps} | {rdp.GetEpsilon(1e-6):F6} | {epsilon.Lower:F6} | {epsilon.Estimate:F6} | {epsilon.Upper:F6} | {reference:F6} |");
}

static void Calibrate(double target, double delta, double q, long steps, double tolerance, string reference)
{
    NoiseCalibrationResult result = NoiseCalibration.ForSteps(target, delta, q, steps, tolerance);
    Console.WriteLine($"| {target} | {delta:G} | {q:G6} | {steps} | {tolerance} | {result.NoiseMultiplier:F6} | {result.Epsilon:F5} | {reference} |");
}
