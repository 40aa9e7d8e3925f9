namespace FedLearn.Data;

/// <summary>
/// Thrown when a dataset's files are not where FedLearn looked. The message lists every place searched and how to
/// obtain the data; <see cref="SearchedLocations"/> gives the same places to code.
/// </summary>
public sealed class DatasetNotFoundException : FileNotFoundException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What is missing, where it was looked for, and how to get it.</param>
    /// <param name="searchedLocations">Every folder searched, in order.</param>
    public DatasetNotFoundException(string message, IReadOnlyList<string> searchedLocations)
        : base(message)
    {
        ArgumentNullException.ThrowIfNull(searchedLocations);
        SearchedLocations = searchedLocations.ToArray();
    }

    /// <summary>Creates the exception with a message and no locations.</summary>
    public DatasetNotFoundException(string message)
        : this(message, [])
    {
    }

    /// <summary>Creates the exception with a message and an underlying cause.</summary>
    public DatasetNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
        SearchedLocations = [];
    }

    /// <summary>Creates the exception with a default message.</summary>
    public DatasetNotFoundException()
        : this("The dataset's files were not found.")
    {
    }

    /// <summary>Every folder searched, in order.</summary>
    public IReadOnlyList<string> SearchedLocations { get; }
}
