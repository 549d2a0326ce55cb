using MerlinAdapt.Cohorts;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reports;
using Microsoft.Extensions.Logging;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// One fine-tuning run from start to finish, as `train`, `sweep`, `ablate` and `demo` all run it: create the run
/// folder (config.json and the base model), then train on the manifest's train split with early stopping on val.
/// </summary>
public static class TrainingRun
{
    /// <summary>Where a new run starts from: a model folder, or a preset plus the tokenizer of the reports.</summary>
    public sealed record Source(string? ModelDirectory, string? Preset, string? TokenizerPath);

    /// <summary>Writes config.json and the run's base; refuses a folder that is already a run.</summary>
    public static (RunFolder Run, RunConfig Config) Create(string directory, Source source, string manifestPath, string? cache,
        string? reports, TrainingOptions options, string? phenotypes = null)
    {
        if (options.PhenotypeWeight > 0 && phenotypes is null)
            throw new InputException("--phenotype-weight", "needs --phenotypes FILE (study_id,CODE1,… of 0/1)");
        if (options.PhenotypeWeight < 0) throw new InputException("--phenotype-weight", "must not be negative");
        // Both change weights or statistics that only a full-mode checkpoint saves (adapters keep the base frozen).
        if (options.PhenotypeWeight > 0 && options.Mode != Adaptation.AdaptationMode.Full)
            throw new InputException("--phenotype-weight", "trains the image classifier head, which only --mode full saves");
        if (options.FullReportProbability is { } full && !(full is >= 0 and <= 1))
            throw new InputException("--report-splitting", $"is a probability of the full report, between 0 and 1, not {full}");
        if (options.FullReportProbability is not null && reports is null)
            throw new InputException("--report-splitting", "needs --reports (reports.jsonl from structure-reports), which holds the organ sections");
        if (options.PreciseBatchNorm && options.Mode == Adaptation.AdaptationMode.Frozen)
            throw new InputException("--precise-bn", "needs a mode that trains (frozen trains nothing)");
        if (phenotypes is not null) PhenotypeLabels.Read(phenotypes); // fail early on a bad file
        if (File.Exists(Path.Combine(directory, "config.json")))
            throw new InputException(directory, "is already a run folder; continue it with --resume, or choose another --out");
        Manifest.Load(manifestPath); // fail early on a bad manifest
        var run = new RunFolder(directory);
        var (baseDir, hash) = TrainingSetup.PrepareBase(run, source.ModelDirectory, source.Preset, source.TokenizerPath, options.Seed);
        var config = new RunConfig
        {
            Options = options, BaseModel = baseDir, BaseModelHash = hash, Manifest = Path.GetFullPath(manifestPath),
            Cache = cache is null ? null : Path.GetFullPath(cache), Reports = reports is null ? null : Path.GetFullPath(reports),
            Phenotypes = phenotypes is null ? null : Path.GetFullPath(phenotypes),
            Threads = get_num_threads(),
        };
        run.WriteConfig(config);
        return (run, config);
    }

    /// <summary>Trains a created run (or continues one, <paramref name="resuming"/>) to its end or to cancellation.</summary>
    public static TrainingSummary Run(RunFolder run, RunConfig config, bool resuming, ILogger logger,
        IProgress<TrainingProgress>? progress, CancellationToken cancel)
    {
        if (!resuming) manual_seed(config.Options.Seed);
        var cohort = Manifest.Load(config.Manifest);
        using var merlin = TrainingSetup.Build(config, newRun: !resuming);
        if (!File.Exists(Path.Combine(config.BaseModel, ModelFolder.TokenizerFile)))
            throw new InputException(config.BaseModel, "the base model has no tokenizer.json; the trainer tokenises reports");
        using var tokenizer = ModelFolder.LoadTokenizer(config.BaseModel);
        var scans = new ScanSource(cohort, config.Cache is { } c ? new ScanCache(c) : null, logger: logger);
        var structured = config.Reports is { } reportsPath ? StructuredReportsFile.Read(reportsPath) : null;
        List<TrainingPair> Pairs(string split) => cohort.Entries.Where(e => e.Split == split)
            .Select(e => (Entry: e, Structured: structured?.GetValueOrDefault(e.StudyId)))
            .Select(x => new TrainingPair(x.Entry.StudyId, x.Entry.PatientId, x.Entry.Label, ReportText.Of(cohort, x.Entry),
                x.Structured?.AnatomyText, x.Structured?.OrganSections())).ToList();
        var train = Pairs("train");
        if (train.Count == 0) throw new InputException(config.Manifest, "has no rows with split \"train\" (run `merlin-adapt split` first)");
        PhenotypeLabels? phenotypes = null;
        if (config.Phenotypes is { } phenotypesPath && config.Options.PhenotypeWeight > 0)
        {
            phenotypes = PhenotypeLabels.Read(phenotypesPath);
            var outputs = merlin.HasImageTower ? merlin.Config.Image!.Phenotypes : 0;
            if (phenotypes.Codes.Count > outputs)
                throw new InputException(phenotypesPath, $"has {phenotypes.Codes.Count} phenotype columns; the model's classifier head has {outputs} outputs");
        }
        var trainer = new ContrastiveTrainer(merlin, tokenizer, scans, run, config, phenotypes);
        return trainer.Train(train, Pairs("val"), resuming, progress, cancel);
    }
}
