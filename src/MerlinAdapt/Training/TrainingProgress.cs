namespace MerlinAdapt.Training;

/// <summary>Progress of a run: epoch, optimiser step within it, the latest loss, temperature and learning rate.</summary>
public sealed record TrainingProgress(int Epoch, int Epochs, int Step, int StepsPerEpoch, double Loss, double Temperature, double LearningRate, EpochMetrics? EpochDone = null);
