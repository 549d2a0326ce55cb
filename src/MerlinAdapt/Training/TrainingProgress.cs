namespace MerlinAdapt.Training;

/// <summary>
/// Progress of a run: epoch, optimiser step within it, the latest loss, temperature and learning rate; an epoch's
/// metrics when it ends, and the starting model's validation before the first step.
/// </summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double Temperature, double LearningRate,
    EpochMetrics? EpochDone = null, TrainerState.StartValidation? StartDone = null);
