namespace FedLearn.Tracking;

/// <summary>The state of a tracked run, as MLflow names it.</summary>
public enum RunStatus
{
    /// <summary>Started and not ended (<c>RUNNING</c>).</summary>
    Running = 1,

    /// <summary>Completed (<c>FINISHED</c>).</summary>
    Finished = 3,

    /// <summary>Ended by an error (<c>FAILED</c>).</summary>
    Failed = 4,

    /// <summary>Stopped before completion, for example cancelled or abandoned (<c>KILLED</c>).</summary>
    Killed = 5,
}
