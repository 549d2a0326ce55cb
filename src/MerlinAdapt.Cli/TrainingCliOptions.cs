using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Training;
using static TorchSharp.torch;

namespace MerlinAdapt.Cli;

/// <summary>The `train` options (design.md's table), shared by train, sweep and ablate so each passes them through.</summary>
internal sealed class TrainingCliOptions
{
    private static readonly TrainingOptions Defaults = new();

    public Option<string?> Model { get; } = new("--model") { Description = "base model folder (from import)", HelpName = "DIR" };
    public Option<string?> Preset { get; } = new("--preset") { Description = "start from a freshly initialised preset instead (tiny for tests and the demo)" };
    public Option<string?> Tokenizer { get; } = new("--tokenizer") { Description = "with --preset: the tokenizer.json of the reports (synth writes one)", HelpName = "tokenizer.json" };
    public Option<string?> Manifest { get; } = new("--manifest") { Description = "manifest with the split column filled (train and val are used)", HelpName = "M" };
    public Option<string?> Cache { get; } = new("--cache") { Description = "preprocessed scans from prepare (missing ones are preprocessed on the fly)", HelpName = "DIR" };
    public Option<string?> Reports { get; } = new("--reports") { Description = "reports.jsonl from structure-reports: every other step trains on the anatomy-ordered report", HelpName = "R" };
    public Option<string> Mode { get; } = new("--mode") { Description = string.Join(", ", AdaptationModes.Names), DefaultValueFactory = _ => "peft" };
    public Option<string> Temperature { get; } = new("--temperature") { Description = "initial τ (logits = cos/τ), or 'model' to keep the model's", DefaultValueFactory = _ => "1.0" };
    public Option<string> TemperatureParam { get; } = new Option<string>("--temperature-param") { Description = "log (logit_scale = −ln τ, Merlin's) or direct (τ itself, the paper's code)", DefaultValueFactory = _ => "log" }
        .AcceptOnlyFromAmong("log", "direct");
    public Option<int> Epochs { get; } = new("--epochs") { Description = "maximum epochs", DefaultValueFactory = _ => Defaults.Epochs };
    public Option<int> Patience { get; } = new("--patience") { Description = "early stopping: epochs without a better validation F1", DefaultValueFactory = _ => Defaults.Patience };
    public Option<int> BatchSize { get; } = new("--batch-size") { Description = "pairs per micro-batch", DefaultValueFactory = _ => Defaults.BatchSize };
    public Option<int> Accumulation { get; } = new("--accumulation") { Description = "micro-batches per optimiser step", DefaultValueFactory = _ => Defaults.Accumulation };
    public Option<bool> GradCache { get; } = new("--grad-cache") { Description = "one InfoNCE over the whole effective batch (exact large-batch contrastive learning)" };
    public Option<double?> LearningRate { get; } = new("--lr") { Description = "AdamW learning rate (default 1e-5 for full, 1e-4 otherwise)" };
    public Option<double> WeightDecay { get; } = new("--weight-decay") { Description = "AdamW weight decay (not on biases, norms, temperature)", DefaultValueFactory = _ => Defaults.WeightDecay };
    public Option<double?> LayerDecay { get; } = new("--layer-decay") { Description = "layer-wise learning-rate decay (the paper's code: 0.7); default off" };
    public Option<string> Prompts { get; } = new("--prompts") { Description = "prompt set for validation F1", DefaultValueFactory = _ => Defaults.Prompts };
    public Option<string> Checkpointing { get; } = new Option<string>("--checkpointing") { Description = "activation checkpointing: on, off, or auto (on for merlin, off for tiny)", DefaultValueFactory = _ => "auto" }
        .AcceptOnlyFromAmong("on", "off", "auto");
    public Option<int> Seed { get; } = new("--seed") { Description = "one seed for data order, dropout and initialisation", DefaultValueFactory = _ => Defaults.Seed };
    public Option<int?> Threads { get; } = new("--threads") { Description = "CPU threads (default: all cores)", HelpName = "N" };
    public Option<string> Device { get; } = new Option<string>("--device") { Description = "cpu or cuda (needs a CUDA build of TorchSharp, see README)", DefaultValueFactory = _ => "cpu" }
        .AcceptOnlyFromAmong("cpu", "cuda");
    public Option<string?> Phenotypes { get; } = new("--phenotypes") { Description = "phenotype labels (study_id,CODE1,… of 0/1) for the image classifier head, as Merlin's pretraining; synth writes one", HelpName = "CSV" };
    public Option<double> PhenotypeWeight { get; } = new("--phenotype-weight") { Description = "weight of the phenotype BCE beside InfoNCE (full mode; 0 = contrastive only)", DefaultValueFactory = _ => 0.0 };
    public Option<bool> PreciseBatchNorm { get; } = new("--precise-bn") { Description = "recompute BatchNorm statistics over the train split after every epoch (AdaBN on a new hospital; adapters then carry them)" };
    public Option<double?> ReportSplitting { get; } = new("--report-splitting")
    {
        Description = "Merlin's report splitting: train on the full report with probability P, else on one organ-system section of it (needs --reports)",
        HelpName = "P",
    };
    public Option<bool> ValidateStart { get; } = new("--validate-start")
    {
        Description = "validate the starting model before training; it stays checkpoints/best unless an epoch beats it (--validate-start false skips this)",
        DefaultValueFactory = _ => true,
    };
    public LoraCliOptions Lora { get; } = new();

    public void AddTo(Command command, bool withMode = true)
    {
        Option[] options = [Model, Preset, Tokenizer, Manifest, Cache, Reports, Mode, Temperature, TemperatureParam, Epochs, Patience, BatchSize,
            Accumulation, GradCache, LearningRate, WeightDecay, LayerDecay, Prompts, Checkpointing, Seed, Threads, Device, Phenotypes, PhenotypeWeight, PreciseBatchNorm, ValidateStart, ReportSplitting];
        foreach (var o in options.Where(o => withMode || (o != Mode && o != Temperature))) command.Options.Add(o);
        foreach (var o in Lora.All) command.Options.Add(o);
    }

    /// <summary>Applies --device and --threads to this process (before any tensor is made).</summary>
    public void ApplyRuntime(ParseResult parse)
    {
        if (parse.GetValue(Device) == "cuda") throw new InputException("--device", "this build references TorchSharp-cpu; add the CUDA package to use a GPU (README, Using a GPU)");
        if (parse.GetValue(Threads) is { } n) set_num_threads(n);
    }

    public TrainingRun.Source Source(ParseResult parse) => new(parse.GetValue(Model), parse.GetValue(Preset), parse.GetValue(Tokenizer));

    public string RequireManifest(ParseResult parse) =>
        parse.GetValue(Manifest) ?? throw new InputException("--manifest", "a manifest with the split column filled is required");

    public TrainingOptions Read(ParseResult parse)
    {
        // Commands without --mode / --temperature (sweep, ablate) set them per cell; the defaults stand in until then.
        return new TrainingOptions
        {
            Mode = parse.GetValue(Mode) is { } mode ? AdaptationModes.Parse(mode) : Defaults.Mode, Lora = Lora.Read(parse),
            Temperature = parse.GetValue(Temperature) is { } temperature ? ParseTemperature(temperature, "--temperature") : Defaults.Temperature,
            TemperatureParameterization = parse.GetValue(TemperatureParam) == "direct" ? TemperatureParameterization.Direct : TemperatureParameterization.Log,
            Epochs = Positive(parse.GetValue(Epochs), "--epochs"), Patience = Positive(parse.GetValue(Patience), "--patience"),
            BatchSize = Positive(parse.GetValue(BatchSize), "--batch-size"), Accumulation = Positive(parse.GetValue(Accumulation), "--accumulation"),
            GradCache = parse.GetValue(GradCache), LearningRate = parse.GetValue(LearningRate), WeightDecay = parse.GetValue(WeightDecay),
            LayerDecay = parse.GetValue(LayerDecay), Prompts = parse.GetValue(Prompts)!,
            Checkpointing = parse.GetValue(Checkpointing) switch { "on" => true, "off" => false, _ => null },
            Seed = parse.GetValue(Seed),
            PhenotypeWeight = parse.GetValue(PhenotypeWeight), PreciseBatchNorm = parse.GetValue(PreciseBatchNorm), ValidateStart = parse.GetValue(ValidateStart),
            FullReportProbability = parse.GetValue(ReportSplitting),
        };
    }

    /// <summary>A temperature τ, or 'model' (null: keep the model's own).</summary>
    public static double? ParseTemperature(string text, string option) =>
        text == "model" ? null
        : double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var t) && t > 0 ? t
        : throw new InputException(option, $"\"{text}\" is neither a positive number nor 'model'");

    public static int Positive(int value, string option) => value >= 1 ? value : throw new InputException(option, $"must be at least 1, got {value}");
}
