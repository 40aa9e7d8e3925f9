namespace FedLearn.Data;

/// <summary>
/// One client's data: its partition of the training records, split into a local train view and a local test view,
/// and the augmentation trainers apply to training records. Immutable and thread-safe.
/// </summary>
public sealed class ClientData
{
    /// <summary>Creates a client's data.</summary>
    /// <param name="clientIndex">The client's index, from 0.</param>
    /// <param name="train">Records to train on.</param>
    /// <param name="test">Held-out records to evaluate on; same dataset as <paramref name="train"/>.</param>
    /// <param name="trainTransform">Augmentation for training records, or <see langword="null"/>.</param>
    /// <exception cref="ArgumentException">The views are over different datasets.</exception>
    public ClientData(int clientIndex, DatasetView train, DatasetView test, ISampleTransform? trainTransform = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(clientIndex);
        ArgumentNullException.ThrowIfNull(train);
        ArgumentNullException.ThrowIfNull(test);
        if (!ReferenceEquals(train.Dataset, test.Dataset))
        {
            throw new ArgumentException("The train and test views of a client must be over the same dataset.", nameof(test));
        }

        ClientIndex = clientIndex;
        Train = train;
        Test = test;
        TrainTransform = trainTransform;
    }

    /// <summary>The client's index, from 0.</summary>
    public int ClientIndex { get; }

    /// <summary>Records to train on.</summary>
    public DatasetView Train { get; }

    /// <summary>Held-out records to evaluate on.</summary>
    public DatasetView Test { get; }

    /// <summary>Augmentation for training records, or <see langword="null"/>; never applied to <see cref="Test"/>.</summary>
    public ISampleTransform? TrainTransform { get; }

    /// <summary>The number of records the client holds (train and test).</summary>
    public int Count => Train.Count + Test.Count;

    /// <summary>Copies the features of the <paramref name="position"/>-th training record, augmented when <see cref="TrainTransform"/> is set.</summary>
    /// <param name="position">Position in <see cref="Train"/>.</param>
    /// <param name="destination">Exactly one record's worth of floats; the caller owns it.</param>
    /// <param name="random">The trainer's generator, passed to the transform.</param>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is not one record long.</exception>
    public void CopyTrainFeatures(int position, Span<float> destination, DeterministicRandom random)
    {
        ArgumentNullException.ThrowIfNull(random);
        ReadOnlySpan<float> features = Train.GetFeatures(position);
        if (destination.Length != features.Length)
        {
            throw new ArgumentException($"The destination holds {destination.Length} values but a record has {features.Length}.", nameof(destination));
        }

        if (TrainTransform is null)
        {
            features.CopyTo(destination);
        }
        else
        {
            TrainTransform.Apply(features, destination, random);
        }
    }
}
