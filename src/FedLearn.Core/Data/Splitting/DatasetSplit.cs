namespace FedLearn.Data;

/// <summary>A view split in two disjoint parts whose union is the original view.</summary>
/// <param name="Train">The records to train on.</param>
/// <param name="Test">The held-out records to evaluate on.</param>
public sealed record DatasetSplit(DatasetView Train, DatasetView Test);
