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

    /// <summary>0-based epoch of <see cref="BestF1"/>; <see cref="StartEpoch"/> when the starting model is the best.</summary>
    public int BestEpoch { get; init; } = StartEpoch;

    /// <summary>Validation of the model before any training (<see cref="TrainingOptions.ValidateStart"/>); null when not run.</summary>
    public StartValidation? Start { get; init; }
    public int EpochsWithoutImprovement { get; init; }
    public bool Finished { get; init; }
    public string? StopReason { get; init; }

    /// <summary>The epoch number that stands for the starting model.</summary>
    public const int StartEpoch = -1;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool StartIsBest => BestF1 is not null && BestEpoch == StartEpoch;

    public sealed record StartValidation(double ValLoss, double ValF1, double ValAuc);
}
