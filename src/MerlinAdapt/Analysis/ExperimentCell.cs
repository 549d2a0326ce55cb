using MerlinAdapt.Adaptation;
using MerlinAdapt.Training;

namespace MerlinAdapt.Analysis;

/// <summary>
/// One cell of a sweep or ablation: its folder name and its training options. A frozen cell is the zero-shot
/// baseline: it is evaluated as it is, untrained (its only trainable tensor, the temperature, changes neither the
/// zero-shot predictions nor any cosine similarity).
/// </summary>
public sealed record ExperimentCell(string Name, TrainingOptions Options)
{
    /// <summary>The cell's options; a frozen cell trains nothing, so it recomputes no BatchNorm statistics either.</summary>
    public TrainingOptions Options { get; init; } = Options.Mode == AdaptationMode.Frozen ? Options with { PreciseBatchNorm = false } : Options;

    public bool Trains => Options.Mode != AdaptationMode.Frozen;
}
