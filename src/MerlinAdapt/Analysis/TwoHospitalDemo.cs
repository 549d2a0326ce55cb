using System.Diagnostics;
using System.Globalization;
using System.Text;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Analysis;

/// <summary>
/// The embedded demo (issue 9), the paper's Table 3 on synthetic data: synthesise hospital A (pretraining) and
/// hospital B (target, split by patient), prepare both, pretrain a tiny Merlin-shaped model on A (it stands in for
/// Merlin's own pretraining), evaluate it zero-shot on B's test split (the baseline), adapt it to B with PEFT and with
/// full fine-tuning, evaluate both, and write the comparison with 95 % CIs and an HTML report. Every stage keeps its
/// files, so a rerun of an interrupted demo continues where it stopped.
/// </summary>
/// <remarks>
/// Folder: <c>hospital-A/</c>, <c>hospital-B/</c> (scans, reports, manifest.csv, split.csv, tokenizer.json),
/// <c>cache/</c>, <c>pretrain-A/</c> (run/ and val/), <c>adapt-B/</c> (zero-shot, peft, full: run/ and test/, with
/// results.md), and at the top results.md, summary.md and report.html.
/// </remarks>
public static class TwoHospitalDemo
{
    public static DemoResult Run(string directory, TwoHospitalDemoOptions options, ILogger logger, IProgress<DemoProgress>? progress = null,
        CancellationToken cancel = default)
    {
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        // A rerun continues the demo in its folder, so it must ask for the same demo.
        var settings = Path.Combine(root, "demo.json");
        var json = System.Text.Json.JsonSerializer.Serialize(options, Json.Options);
        if (File.Exists(settings) && File.ReadAllText(settings) != json)
            throw new InputException(root, "holds a demo with other settings (demo.json); choose another --out, or delete the folder to start again");
        AtomicFile.WriteAllText(settings, json);
        var timings = new List<(string Stage, TimeSpan Time)>();
        var clock = Stopwatch.StartNew();
        void Done(string stage)
        {
            timings.Add((stage, clock.Elapsed));
            clock.Restart();
        }
        void Say(string stage, string line) => progress?.Report(new DemoProgress(stage) { Line = line });

        // 1. Two hospitals.
        var cohortA = Synthesise(root, HospitalProfile.A, options.PatientsA, options.Seed, progress, cancel);
        var cohortB = Synthesise(root, HospitalProfile.B, options.PatientsB, options.Seed + 1, progress, cancel);
        Say("synth", $"hospital A: {Describe(cohortA.Manifest)} (pretraining); hospital B: {Describe(cohortB.Manifest)} (target)");
        var splitA = Split(cohortA.Manifest, [0.8, 0.2, 0.0], options.Seed);
        var splitB = Split(cohortB.Manifest, options.SplitB, options.Seed);
        Say("split", $"hospital B split by patient: {SplitCounts(splitB)}");
        Done("synthesise and split");

        // 2. One cache for both (keyed by content and settings).
        var cache = Path.Combine(root, "cache");
        var prepare = new PrepareOptions { Preprocessing = new PreprocessingOptions { Spacing = options.Spacing, Size = options.Size } };
        foreach (var (name, manifest) in new[] { ("A", splitA), ("B", splitB) })
        {
            var summary = new CachePreparer(new ScanCache(cache), prepare, logger).Run(Manifest.Load(manifest),
                new Relay<PrepareProgress>(p => progress?.Report(new DemoProgress("prepare") { Done = p.Done, Total = p.Total, Detail = $"hospital {name}" })), cancel);
            if (summary.Failed > 0) throw new InputException(manifest, $"{summary.Failed} scans failed to prepare (see {Path.Combine(cache, CachePreparer.FailuresFile)})");
        }
        cancel.ThrowIfCancellationRequested();
        Say("prepare", $"scans prepared at {Grid(options)} into {cache}");
        Done("prepare");

        // 3. Pretraining on A; its best validation F1 is the pretrained model, as the paper's code selects.
        var pretrainRun = new RunFolder(Path.Combine(root, "pretrain-A"));
        RunConfig pretrainConfig;
        var resuming = File.Exists(pretrainRun.ConfigPath);
        if (resuming) pretrainConfig = pretrainRun.ReadConfig();
        else (pretrainRun, pretrainConfig) = TrainingRun.Create(pretrainRun.Directory, new TrainingRun.Source(null, "tiny", cohortA.TokenizerPath),
            splitA, cache, null, options.Pretraining, cohortA.PhenotypesPath);
        resuming &= File.Exists(Path.Combine(pretrainRun.Checkpoint("last"), "trainer_state.json"));
        var pretraining = TrainingRun.Run(pretrainRun, pretrainConfig, resuming, logger, TrainingRelay(progress, "pretrain on A"), cancel);
        if (pretraining.Interrupted) return Interrupted(root, timings);
        var metrics = pretrainRun.ReadMetrics();
        var selected = metrics.Single(m => m.Epoch == pretrainRun.ReadState("best").BestEpoch);
        Say("pretrain", $"pretrained on hospital A ({metrics.Count} epochs): the best validation zero-shot F1, {selected.ValF1:0.000} (AUC {selected.ValAuc:0.000}) at epoch {selected.Epoch + 1}, is the pretrained model");
        Done("pretrain on A");

        // 4. Zero-shot on B, then adaptation to B with PEFT and with full fine-tuning.
        var baseModel = pretrainRun.ForInference(pretrainConfig, "best").Model;
        var adaptPlan = ExperimentPlan.Create(ExperimentPlan.Ablation, [AdaptationMode.Frozen, AdaptationMode.Peft, AdaptationMode.Full], [1.0], options.Peft,
            new TrainingRun.Source(baseModel, null, null), splitB, cache, null, "test", options.Resamples);
        var cells = new[]
        {
            new ExperimentCell("zero-shot", options.Peft with { Mode = AdaptationMode.Frozen }),
            new ExperimentCell("peft", options.Peft),
            new ExperimentCell("full", options.Full),
        };
        var adaptDirectory = Path.Combine(root, "adapt-B");
        var adaptRunner = new CellRunner(adaptPlan, adaptDirectory, logger);
        var results = new List<CellResult>();
        for (var i = 0; i < cells.Length; i++)
        {
            var result = adaptRunner.Run(cells[i], i, cells.Length, CellRelay(progress, cells[i].Name == "zero-shot" ? "zero-shot on B" : $"adapt to B ({cells[i].Name})"), cancel);
            if (result.Status == CellStatus.Interrupted) return Interrupted(root, timings);
            if (result.Status == CellStatus.Failed) throw new InvalidOperationException($"{cells[i].Name} on hospital B failed: {result.Error}");
            results.Add(result);
            Say(cells[i].Name, $"{Method(cells[i].Name)} on B's test split: F1 {result.Value("f1"):0.000}, AUC {result.Value("roc_auc"):0.000}");
            Done(cells[i].Name == "zero-shot" ? "zero-shot on B" : $"adapt to B ({cells[i].Name}) and evaluate");
        }
        ExperimentOutputs.Write(adaptDirectory, adaptPlan, results);

        // 5. The comparison and the report.
        var rows = results.Select(r => new DemoRow(Method(r.Cell.Name), r.Cell.Options.Mode.Name(), r.Metrics!, r.TrainableParameters ?? 0, r.TotalParameters ?? 0, r.CosSim, r.BestEpoch)).ToList();
        AtomicFile.WriteAllText(Path.Combine(root, "results.md"), DemoTable.Markdown(rows));
        AtomicFile.WriteAllText(Path.Combine(root, "summary.md"), DemoTable.Summary(options, rows, timings, selected));
        var report = HtmlReport.Write(root, "MerlinAdapt demo: adapting a pretrained CT–report model to a new hospital");
        Done("report");
        return new DemoResult(root, rows, timings, report, Interrupted: false);
    }

    public static string Method(string cell) => cell switch
    {
        "zero-shot" => "Pretrained on A, zero-shot",
        "peft" => "Adapted to B, PEFT",
        "full" => "Adapted to B, full fine-tuning",
        _ => cell,
    };

    public static string Grid(TwoHospitalDemoOptions options) =>
        $"{string.Join(" × ", options.Spacing.Select(s => s.ToString(CultureInfo.InvariantCulture)))} mm, {string.Join(" × ", options.Size)} voxels";

    private static DemoResult Interrupted(string root, List<(string, TimeSpan)> timings) => new(root, [], timings, "", Interrupted: true);

    private static IProgress<TrainingProgress> TrainingRelay(IProgress<DemoProgress>? progress, string stage) =>
        new Relay<TrainingProgress>(t => ReportTraining(progress, stage, t));

    private static IProgress<CellProgress> CellRelay(IProgress<DemoProgress>? progress, string stage) => new Relay<CellProgress>(p =>
    {
        if (p.Training is { } t) ReportTraining(progress, stage, t);
        else if (p.Phase == CellPhase.Evaluating) progress?.Report(new DemoProgress(stage) { Done = p.Done, Total = p.Total, Detail = "evaluating" });
    });

    private static void ReportTraining(IProgress<DemoProgress>? progress, string stage, TrainingProgress t)
    {
        if (t.StartDone is { } s)
            progress?.Report(new DemoProgress(stage) { Line = $"{stage}: before training: val F1 {s.ValF1:0.000}, AUC {s.ValAuc:0.000}, τ {t.Temperature:0.000}" });
        else if (t.EpochDone is { } e)
            progress?.Report(new DemoProgress(stage) { Line = $"{stage}: epoch {e.Epoch + 1}/{t.Epochs}: train loss {e.TrainLoss:0.000}, val F1 {e.ValF1:0.000}, AUC {e.ValAuc:0.000}, τ {e.Temperature:0.000}" });
        else
            progress?.Report(new DemoProgress(stage) { Done = t.Epoch * t.StepsPerEpoch + t.Step, Total = t.Epochs * t.StepsPerEpoch, Detail = $"epoch {t.Epoch + 1}, loss {t.Loss:0.000}" });
    }

    private static SyntheticCohortResultPaths Synthesise(string root, HospitalProfile hospital, int patients, int seed, IProgress<DemoProgress>? progress,
        CancellationToken cancel)
    {
        var directory = Path.Combine(root, $"hospital-{hospital.Name}");
        var paths = new SyntheticCohortResultPaths(Path.Combine(directory, "manifest.csv"), Path.Combine(directory, "tokenizer.json"), Path.Combine(directory, "phenotypes.csv"));
        if (File.Exists(paths.Manifest) && File.Exists(paths.TokenizerPath) && File.Exists(paths.PhenotypesPath)) return paths; // kept from an earlier run
        var generator = new SyntheticCohortGenerator(new SyntheticCohortOptions { Hospital = hospital, Patients = patients, Seed = seed });
        var result = generator.Write(directory, new Relay<SyntheticCohortProgress>(p =>
            progress?.Report(new DemoProgress("synth") { Done = p.Done, Total = p.Total, Detail = $"hospital {hospital.Name}" })), cancel);
        return new SyntheticCohortResultPaths(result.ManifestPath, result.TokenizerPath, result.PhenotypesPath);
    }

    private sealed record SyntheticCohortResultPaths(string Manifest, string TokenizerPath, string PhenotypesPath);

    private static string Split(string manifestPath, double[] ratios, int seed)
    {
        var target = Path.Combine(Path.GetDirectoryName(manifestPath)!, "split.csv");
        if (File.Exists(target)) return target;
        var manifest = Manifest.Load(manifestPath);
        var rows = PatientSplitter.Split(manifest.Entries, ratios, seed, SyntheticStudy.Positive, out _);
        manifest.Save(target, rows);
        return target;
    }

    private static string Describe(string manifestPath)
    {
        var entries = Manifest.Load(manifestPath).Entries;
        return $"{entries.Select(e => e.PatientId).Distinct().Count()} patients, {entries.Count} scans ({entries.Count(e => e.Label == SyntheticStudy.Positive)} HCC)";
    }

    private static string SplitCounts(string manifestPath)
    {
        var entries = Manifest.Load(manifestPath).Entries;
        var text = new StringBuilder();
        foreach (var split in new[] { "train", "val", "test" })
        {
            var rows = entries.Where(e => e.Split == split).ToList();
            if (text.Length > 0) text.Append("; ");
            text.Append($"{split} {rows.Select(e => e.PatientId).Distinct().Count()} patients / {rows.Count} scans");
        }
        return text.ToString();
    }
}
