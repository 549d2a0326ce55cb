using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Analysis;

/// <summary>One row of the demo's comparison on hospital B's test split.</summary>
/// <param name="BestEpoch">1-based epoch of the evaluated checkpoint, 0 for the starting model; null when nothing trained.</param>
public sealed record DemoRow(string Method, string Mode, MetricsReport Metrics, long TrainableParameters, long TotalParameters, double? CosSim, int? BestEpoch = null);

/// <summary>What the demo produced: the comparison rows, the time of each stage, and where its files are.</summary>
public sealed record DemoResult(string Directory, IReadOnlyList<DemoRow> Rows, IReadOnlyList<(string Stage, TimeSpan Time)> Timings, string ReportPath,
    bool Interrupted)
{
    public string ResultsPath => Path.Combine(Directory, "results.md");
}
