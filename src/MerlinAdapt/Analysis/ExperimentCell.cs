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
    public bool Trains => Options.Mode != AdaptationMode.Frozen;
}
