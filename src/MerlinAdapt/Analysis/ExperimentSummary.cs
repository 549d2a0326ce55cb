namespace MerlinAdapt.Analysis;

/// <summary>How an experiment run ended: every cell's state and result, and whether Ctrl-C stopped it early.</summary>
public sealed record ExperimentSummary(string Directory, ExperimentPlan Plan, IReadOnlyList<CellResult> Cells, bool Interrupted)
{
    public int Count(CellStatus status) => Cells.Count(c => c.Status == status);
}
