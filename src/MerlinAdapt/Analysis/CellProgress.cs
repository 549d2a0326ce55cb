using MerlinAdapt.Training;

namespace MerlinAdapt.Analysis;

public enum CellPhase
{
    /// <summary>Done in an earlier run; <see cref="CellProgress.Result"/> holds what it gave.</summary>
    Skipped,
    Training,
    Evaluating,

    /// <summary>Ended (done, failed or interrupted): see <see cref="CellProgress.Result"/>.</summary>
    Finished,
}

/// <summary>Progress of an experiment: which cell (0-based of how many), its phase, and the phase's own progress.</summary>
public sealed record CellProgress(int Index, int Count, ExperimentCell Cell, CellPhase Phase)
{
    public TrainingProgress? Training { get; init; }

    /// <summary>Scans encoded so far in the evaluation phase, of <see cref="Total"/>.</summary>
    public int Done { get; init; }

    public int Total { get; init; }

    public CellResult? Result { get; init; }
}
