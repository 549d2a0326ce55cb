namespace MerlinAdapt.Training;

/// <summary>How a run ended: epochs done, the best validation F1 and its epoch, and why it stopped.</summary>
public sealed record TrainingSummary(int Epochs, double BestF1, int BestEpoch, string StopReason, bool Interrupted, string RunDirectory);
