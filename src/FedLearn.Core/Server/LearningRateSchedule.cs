namespace FedLearn.Server;

/// <summary>How the client learning rate the server sends changes from round to round.</summary>
public enum LearningRateSchedule
{
    /// <summary>Every round sends <see cref="FederatedServerOptions.LearningRate"/>.</summary>
    Constant = 0,

    /// <summary>
    /// Cosine decay over the run (Loshchilov and Hutter 2017, without restarts): round t of T sends
    /// η·(1 + cos(π·(t − 1)/T))/2, so round 1 sends η, the middle round η/2, and the last round a small positive rate.
    /// T is <see cref="FederatedServerOptions.Rounds"/>; a resumed run continues the same curve.
    /// </summary>
    Cosine = 1,
}
