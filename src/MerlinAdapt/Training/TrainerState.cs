namespace MerlinAdapt.Training;

/// <summary>Where a run stands, saved with checkpoints/last so that `--resume` continues exactly (mid-epoch included).</summary>
public sealed record TrainerState
{
    public int Epoch { get; init; }
    public int StepInEpoch { get; init; }
    public long GlobalStep { get; init; }
    public double LossSum { get; init; }
    public int LossCount { get; init; }
    public double SecondsInEpoch { get; init; }
    /// <summary>Best validation F1 so far; null before the first validation (JSON has no −∞).</summary>
    public double? BestF1 { get; init; }
    public int BestEpoch { get; init; } = -1;
    public int EpochsWithoutImprovement { get; init; }
    public bool Finished { get; init; }
    public string? StopReason { get; init; }
}
