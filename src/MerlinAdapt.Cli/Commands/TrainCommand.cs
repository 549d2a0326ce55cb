using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using MerlinAdapt.Reports;
using MerlinAdapt.Training;
using static TorchSharp.torch;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`train`: contrastive fine-tuning into a run folder; `--resume RUN` continues a run exactly.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new TrainingOptions();
        var model = new Option<string?>("--model") { Description = "base model folder (from import)", HelpName = "DIR" };
        var preset = new Option<string?>("--preset") { Description = "start from a freshly initialised preset instead (tiny for tests and the demo)" };
        var tokenizerOption = new Option<string?>("--tokenizer") { Description = "with --preset: the tokenizer.json of the reports (synth writes one)", HelpName = "tokenizer.json" };
        var manifest = new Option<string?>("--manifest") { Description = "manifest with the split column filled (train and val are used)", HelpName = "M" };
        var cache = new Option<string?>("--cache") { Description = "preprocessed scans from prepare (missing ones are preprocessed on the fly)", HelpName = "DIR" };
        var reports = new Option<string?>("--reports") { Description = "reports.jsonl from structure-reports: every other step trains on the anatomy-ordered report", HelpName = "R" };
        var mode = new Option<string>("--mode") { Description = string.Join(", ", AdaptationModes.Names), DefaultValueFactory = _ => "peft" };
        var temperature = new Option<string>("--temperature") { Description = "initial τ (logits = cos/τ), or 'model' to keep the model's", DefaultValueFactory = _ => "1.0" };
        var temperatureParam = new Option<string>("--temperature-param") { Description = "log (logit_scale = −ln τ, Merlin's) or direct (τ itself, the paper's code)", DefaultValueFactory = _ => "log" }
            .AcceptOnlyFromAmong("log", "direct");
        var epochs = new Option<int>("--epochs") { Description = "maximum epochs", DefaultValueFactory = _ => defaults.Epochs };
        var patience = new Option<int>("--patience") { Description = "early stopping: epochs without a better validation F1", DefaultValueFactory = _ => defaults.Patience };
        var batch = new Option<int>("--batch-size") { Description = "pairs per micro-batch", DefaultValueFactory = _ => defaults.BatchSize };
        var accumulation = new Option<int>("--accumulation") { Description = "micro-batches per optimiser step", DefaultValueFactory = _ => defaults.Accumulation };
        var gradCache = new Option<bool>("--grad-cache") { Description = "one InfoNCE over the whole effective batch (exact large-batch contrastive learning)" };
        var lr = new Option<double?>("--lr") { Description = "AdamW learning rate (default 1e-5 for full, 1e-4 otherwise)" };
        var weightDecay = new Option<double>("--weight-decay") { Description = "AdamW weight decay (not on biases, norms, temperature)", DefaultValueFactory = _ => defaults.WeightDecay };
        var layerDecay = new Option<double?>("--layer-decay") { Description = "layer-wise learning-rate decay (the paper's code: 0.7); default off" };
        var prompts = new Option<string>("--prompts") { Description = "prompt set for validation F1", DefaultValueFactory = _ => defaults.Prompts };
        var checkpointing = new Option<string>("--checkpointing") { Description = "activation checkpointing: on, off, or auto (on for merlin, off for tiny)", DefaultValueFactory = _ => "auto" }
            .AcceptOnlyFromAmong("on", "off", "auto");
        var output = new Option<string?>("--out") { Description = "new run folder", HelpName = "RUN" };
        var resume = new Option<string?>("--resume") { Description = "continue this run folder exactly where it stopped", HelpName = "RUN" };
        var seed = new Option<int>("--seed") { Description = "one seed for data order, dropout and initialisation", DefaultValueFactory = _ => defaults.Seed };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)", HelpName = "N" };
        var device = new Option<string>("--device") { Description = "cpu or cuda (needs a CUDA build of TorchSharp, see README)", DefaultValueFactory = _ => "cpu" }
            .AcceptOnlyFromAmong("cpu", "cuda");
        var lora = new LoraCliOptions();
        var command = new Command("train", "Contrastive CT–report fine-tuning (any adaptation mode) into a run folder: metrics.csv, checkpoints/last and best, loss curve. Ctrl-C stops after the current step and keeps everything.")
        {
            model, preset, tokenizerOption, manifest, cache, reports, mode, temperature, temperatureParam, epochs, patience, batch, accumulation, gradCache, lr, weightDecay,
            layerDecay, prompts, checkpointing, output, resume, seed, threads, device,
        };
        foreach (var o in lora.All) command.Options.Add(o);
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            if (parse.GetValue(device) == "cuda") throw new InputException("--device", "this build references TorchSharp-cpu; add the CUDA package to use a GPU (README, Using a GPU)");
            if (parse.GetValue(threads) is { } n) set_num_threads(n);
            RunFolder run;
            RunConfig config;
            var resuming = parse.GetValue(resume) is not null;
            if (resuming)
            {
                run = new RunFolder(parse.GetValue(resume)!);
                config = run.ReadConfig();
            }
            else
            {
                var outDir = parse.GetValue(output) ?? throw new InputException("--out", "give a new run folder (--out RUN) or a run to continue (--resume RUN)");
                var manifestPath = parse.GetValue(manifest) ?? throw new InputException("--manifest", "a manifest with the split column filled is required");
                if (File.Exists(Path.Combine(outDir, "config.json"))) throw new InputException(outDir, "is already a run folder; continue it with --resume, or choose another --out");
                var temperatureText = parse.GetValue(temperature)!;
                double? tau = temperatureText == "model" ? null
                    : double.TryParse(temperatureText, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) ? t
                    : throw new InputException("--temperature", $"\"{temperatureText}\" is neither a number nor 'model'");
                var options = new TrainingOptions
                {
                    Mode = AdaptationModes.Parse(parse.GetValue(mode)!), Lora = lora.Read(parse), Temperature = tau,
                    TemperatureParameterization = parse.GetValue(temperatureParam) == "direct" ? TemperatureParameterization.Direct : TemperatureParameterization.Log,
                    Epochs = Positive(parse.GetValue(epochs), "--epochs"), Patience = Positive(parse.GetValue(patience), "--patience"),
                    BatchSize = Positive(parse.GetValue(batch), "--batch-size"), Accumulation = Positive(parse.GetValue(accumulation), "--accumulation"),
                    GradCache = parse.GetValue(gradCache), LearningRate = parse.GetValue(lr), WeightDecay = parse.GetValue(weightDecay),
                    LayerDecay = parse.GetValue(layerDecay), Prompts = parse.GetValue(prompts)!,
                    Checkpointing = parse.GetValue(checkpointing) switch { "on" => true, "off" => false, _ => null },
                    Seed = parse.GetValue(seed),
                };
                Manifest.Load(manifestPath); // fail early on a bad manifest
                run = new RunFolder(outDir);
                var (baseDir, hash) = TrainingSetup.PrepareBase(run, parse.GetValue(model), parse.GetValue(preset), parse.GetValue(tokenizerOption), options.Seed);
                config = new RunConfig
                {
                    Options = options, BaseModel = baseDir, BaseModelHash = hash, Manifest = Path.GetFullPath(manifestPath),
                    Cache = parse.GetValue(cache) is { } c ? Path.GetFullPath(c) : null, Threads = get_num_threads(),
                    Reports = parse.GetValue(reports) is { } r ? Path.GetFullPath(r) : null,
                };
                run.WriteConfig(config);
                manual_seed(options.Seed);
            }
            var summary = Run(context, run, config, resuming);
            context.Output.WriteLine($"train: {summary.StopReason}; best validation F1 {summary.BestF1:0.000} at epoch {summary.BestEpoch + 1} → {summary.RunDirectory}");
            if (summary.Interrupted) context.Output.WriteLine($"train: continue with: merlin-adapt train --resume {summary.RunDirectory}");
            context.Output.WriteLine($"train: report {HtmlReport.Write(summary.RunDirectory)}");
            return 0;
        }));
        return command;
    }

    internal static TrainingSummary Run(CliContext context, RunFolder run, RunConfig config, bool resuming)
    {
        var cohort = Manifest.Load(config.Manifest);
        using var merlin = TrainingSetup.Build(config, newRun: !resuming);
        using var tokenizer = ModelFolder.LoadTokenizer(config.BaseModel is var b && File.Exists(Path.Combine(b, ModelFolder.TokenizerFile)) ? b : throw new InputException(b, "the base model has no tokenizer.json; the trainer tokenises reports"));
        var scans = new ScanSource(cohort, config.Cache is { } c ? new ScanCache(c) : null, logger: context.Logger);
        var structured = config.Reports is { } reportsPath ? StructuredReportsFile.Read(reportsPath) : null;
        List<TrainingPair> Pairs(string split) => cohort.Entries.Where(e => e.Split == split)
            .Select(e => new TrainingPair(e.StudyId, e.PatientId, e.Label, ReportText.Of(cohort, e),
                structured is not null && structured.TryGetValue(e.StudyId, out var s) ? s.AnatomyText : null)).ToList();
        var train = Pairs("train");
        if (train.Count == 0) throw new InputException(config.Manifest, "has no rows with split \"train\" (run `merlin-adapt split` first)");
        var bar = context.Progress("train", context.Interactive);
        var trainer = new ContrastiveTrainer(merlin, tokenizer, scans, run, config);
        return trainer.Train(train, Pairs("val"), resuming, new Reporter<TrainingProgress>(p =>
        {
            if (p.EpochDone is { } e)
                context.Error.WriteLine($"epoch {e.Epoch + 1}/{p.Epochs}: train loss {e.TrainLoss:0.0000}, val loss {e.ValLoss:0.0000}, val F1 {e.ValF1:0.000}, AUC {e.ValAuc:0.000}, τ {e.Temperature:0.0000}");
            else bar.Update(p.Epoch * p.StepsPerEpoch + p.Step, p.Epochs * p.StepsPerEpoch, $"epoch {p.Epoch + 1}, loss {p.Loss:0.000}, τ {p.Temperature:0.000}, lr {p.LearningRate:0.0e0}");
        }), context.Cancel);
    }

    private static int Positive(int value, string option) => value >= 1 ? value : throw new InputException(option, $"must be at least 1, got {value}");
}
