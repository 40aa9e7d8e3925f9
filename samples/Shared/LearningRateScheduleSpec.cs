using FedLearn.Server;

namespace FedLearn.Samples.Shared;

/// <summary>The <c>--lr-schedule</c> setting of the simulation and the server: <c>constant</c> or <c>cosine</c>.</summary>
internal static class LearningRateScheduleSpec
{
    /// <summary>Parses the setting (case and surrounding spaces ignored).</summary>
    /// <exception cref="FormatException">The value is neither <c>constant</c> nor <c>cosine</c>; the message names it.</exception>
    public static LearningRateSchedule Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        "constant" => LearningRateSchedule.Constant,
        "cosine" => LearningRateSchedule.Cosine,
        _ => throw new FormatException($"--lr-schedule must be constant or cosine, got '{value}'."),
    };
}
