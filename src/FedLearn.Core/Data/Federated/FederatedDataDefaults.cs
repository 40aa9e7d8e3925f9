namespace FedLearn.Data;

/// <summary>The defaults of <see cref="FederatedDataOptions"/>.</summary>
public static class FederatedDataDefaults
{
    /// <summary>Default partitioning: <c>iid</c>.</summary>
    public const string Partition = "iid";

    /// <summary>Default number of clients: 10.</summary>
    public const int ClientCount = 10;

    /// <summary>Default seed: 42.</summary>
    public const ulong Seed = 42;

    /// <summary>Default share of each client's records held out for its local test set: 0.2.</summary>
    public const double TestFraction = TrainTestSplit.DefaultTestFraction;
}
