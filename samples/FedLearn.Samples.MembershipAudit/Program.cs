using System.Globalization;
using FedLearn.Samples.MembershipAudit;
using FedLearn.Samples.Shared;

// Trains a target model on a small member set of Fashion-MNIST, shadow models on disjoint data, and attacks the
// target by membership inference; prints AUC, TPR at low FPR and the empirical ε lower bound for each --epsilon.
// Usage: dotnet run --project samples/FedLearn.Samples.MembershipAudit -c Release -- --members 1000 --epochs 40
CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;

return await CommandLineHost.RunAsync(args, AuditCommand.Create(), AuditCommand.Bind, AuditRunner.RunAsync);
