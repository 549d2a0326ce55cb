using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Tests.Training;
using MerlinAdapt.Training;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

/// <summary>
/// One small synthetic cohort shared by the sweep and ablation tests (class fixture): 16 patients split 8/4/4 into
/// train/val/test, prepared, and a tiny base model; plus the one-epoch training options that keep a cell to seconds.
/// </summary>
public sealed class ExperimentCohort : IDisposable
{
    private readonly SyntheticTrainingCohort _cohort = new(patients: 16, seed: 5, ratios: "0.5,0.25,0.25");

    public string Manifest => _cohort.Manifest;
    public string Cache => _cohort.Cache;
    public string BaseModel => _cohort.BaseModel;

    /// <summary>One epoch of 4 steps, a learning rate large enough to move a tiny model, a fixed seed.</summary>
    public static TrainingOptions Options { get; } = new() { Epochs = 1, Patience = 5, BatchSize = 2, Accumulation = 1, LearningRate = 5e-3, Seed = 9 };

    public ExperimentPlan Plan(string kind, AdaptationMode[] modes, double[] temperatures, string split = "test", TrainingOptions? options = null) =>
        ExperimentPlan.Create(kind, modes, temperatures, options ?? Options, new TrainingRun.Source(BaseModel, null, null), Manifest, Cache, null, split, resamples: 50);

    /// <summary>
    /// One CPU thread (the CLI tests pass --threads 1): on the shared, loaded test machine two spin-waiting OpenMP
    /// threads made a tiny-model step take 1–3 s instead of 10 ms. Results do not depend on it; run time does.
    /// </summary>
    public static void UseOneThread() => set_num_threads(1);

    public void Dispose() => _cohort.Dispose();
}

/// <summary>Reports on the calling thread, so a test can cancel at an exact point.</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
