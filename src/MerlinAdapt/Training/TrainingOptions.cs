using System.Text.Json.Serialization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;

namespace MerlinAdapt.Training;

/// <summary>
/// Everything a fine-tuning run depends on (config.json of the run folder). Defaults are the paper's
/// (§2.4.3, Appendices C–D; design.md's `train` table); each is a CLI option of the same name.
/// </summary>
public sealed record TrainingOptions
{
    [JsonConverter(typeof(JsonStringEnumConverter<AdaptationMode>))]
    public AdaptationMode Mode { get; init; } = AdaptationMode.Peft;

    public LoraOptions Lora { get; init; } = new();

    /// <summary>Initial temperature τ (the paper sweeps 0.07, 0.5, 1, 10; 1.0 was its best PEFT setting). Null keeps the model's.</summary>
    public double? Temperature { get; init; } = 1.0;

    [JsonConverter(typeof(JsonStringEnumConverter<TemperatureParameterization>))]
    public TemperatureParameterization TemperatureParameterization { get; init; } = TemperatureParameterization.Log;

    public int Epochs { get; init; } = 300;

    /// <summary>Epochs without a better validation F1 before stopping (the paper's rule: 5).</summary>
    public int Patience { get; init; } = 5;

    public int BatchSize { get; init; } = 18;

    /// <summary>Micro-batches per optimiser step (paper: 8 → an effective batch of 144).</summary>
    public int Accumulation { get; init; } = 8;

    /// <summary>One loss over the whole effective batch (exact large-batch contrastive learning) instead of one per micro-batch.</summary>
    public bool GradCache { get; init; }

    /// <summary>AdamW learning rate; null = 1e-5 for full fine-tuning, 1e-4 otherwise (the paper).</summary>
    public double? LearningRate { get; init; }

    public double WeightDecay { get; init; } = 0.01;

    /// <summary>Layer-wise learning-rate decay (the paper's code: 0.7); null = off.</summary>
    public double? LayerDecay { get; init; }

    public string Prompts { get; init; } = "hcc";

    /// <summary>Activation checkpointing of the image encoder; null = on for large models, off for small ones.</summary>
    public bool? Checkpointing { get; init; }

    public int Seed { get; init; } = 42;

    /// <summary>
    /// Weight of the phenotype loss (binary cross-entropy of the image classifier head against RunConfig.Phenotypes),
    /// added to InfoNCE as in Merlin's own pretraining; 0 = contrastive only (the paper's fine-tuning).
    /// </summary>
    public double PhenotypeWeight { get; init; }

    /// <summary>
    /// Recompute the image tower's BatchNorm statistics over the train split (a cumulative average, no gradients) after
    /// every epoch, before validation and checkpoints. Running averages lag fast-changing weights; on homogeneous volumes
    /// (the synthetic demo) the lag swamps the lesion signal in eval mode. Off by default (one more forward pass per epoch).
    /// </summary>
    public bool PreciseBatchNorm { get; init; }

    /// <summary>
    /// Validate the starting model before the first epoch (after its BatchNorm statistics are recomputed, with
    /// <see cref="PreciseBatchNorm"/>) and let it compete for checkpoints/best: an adaptation then never returns a model
    /// that does worse on validation than where it began, and patience counts from the start. Costs one validation pass.
    /// </summary>
    public bool ValidateStart { get; init; } = true;

    /// <summary>
    /// Merlin's report splitting: the probability that a pair trains on its usual text rather than one organ-system
    /// section of it (<see cref="ReportSplitting"/>); null = off. Needs structured reports (--reports).
    /// </summary>
    public double? FullReportProbability { get; init; }

    public double EffectiveLearningRate => LearningRate ?? (Mode == AdaptationMode.Full ? 1e-5 : 1e-4);
}
