using MerlinAdapt.Evaluation;

namespace MerlinAdapt.Analysis;

public enum CellStatus
{
    /// <summary>Not started.</summary>
    Pending,

    /// <summary>Started and stopped before its evaluation was written (Ctrl-C, or the process ended): a rerun continues it.</summary>
    Interrupted,

    /// <summary>Threw; the message is in results.csv and the details in the cell's error.txt. A rerun tries it again.</summary>
    Failed,

    /// <summary>Trained and evaluated: its split folder has metrics.json.</summary>
    Done,
}

/// <summary>
/// Where one cell stands and, once done, what it gave: epochs trained, the best (1-based) epoch and the last learned
/// temperature, the zero-shot metrics with CIs on the experiment's split, the mean matched image–report cosine
/// (CosSim) and the trainable and total parameter counts (as <c>params</c> prints them, temperature excluded).
/// </summary>
public sealed record CellResult(ExperimentCell Cell, CellStatus Status)
{
    public int Epochs { get; init; }
    /// <summary>1-based epoch of the checkpoint evaluated; 0 when the starting model was the best on validation.</summary>
    public int? BestEpoch { get; init; }
    public double? FinalTemperature { get; init; }
    public MetricsReport? Metrics { get; init; }
    public double? CosSim { get; init; }
    public long? TrainableParameters { get; init; }
    public long? TotalParameters { get; init; }
    public string? Error { get; init; }

    /// <summary>A metric's point value, or null when the cell is not done or the metric is undefined.</summary>
    public double? Value(string metric) => Metrics?.Metrics.GetValueOrDefault(metric)?.Value;
}
