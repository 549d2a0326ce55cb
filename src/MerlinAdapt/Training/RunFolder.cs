using System.Text.Json;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// A run folder (design.md, Formats): config.json, metrics.csv (one row per epoch), log.txt, checkpoints/last and
/// checkpoints/best, plots/. Checkpoints hold only what was trained (an adapter folder; the whole model in full
/// mode) plus, in `last`, the optimiser, the random state and the trainer state for an exact resume. Each
/// checkpoint folder is written beside its target and swapped in, so a crash never leaves half of one.
/// </summary>
public sealed class RunFolder(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);
    public string ConfigPath => Path.Combine(Directory, "config.json");
    public string MetricsPath => Path.Combine(Directory, "metrics.csv");
    public string LogPath => Path.Combine(Directory, "log.txt");
    public string PlotsDirectory => Path.Combine(Directory, "plots");
    public string BaseDirectory => Path.Combine(Directory, "base");
    public string Checkpoint(string name) => Path.Combine(Directory, "checkpoints", name);

    /// <summary>
    /// The model and adapter folders of a checkpoint, as `evaluate` takes them: a full-mode checkpoint is a model folder;
    /// any other mode's is an adapter on the run's base.
    /// </summary>
    public (string Model, string? Adapter) ForInference(RunConfig config, string checkpoint = "best") =>
        config.Options.Mode == AdaptationMode.Full ? (Checkpoint(checkpoint), null) : (config.BaseModel, Checkpoint(checkpoint));

    public void WriteConfig(RunConfig config)
    {
        System.IO.Directory.CreateDirectory(Directory);
        AtomicFile.WriteAllText(ConfigPath, JsonSerializer.Serialize(config, Json.Options));
    }

    public RunConfig ReadConfig()
    {
        if (!File.Exists(ConfigPath)) throw new InputException(Directory, "not a run folder (no config.json)");
        try { return JsonSerializer.Deserialize<RunConfig>(File.ReadAllText(ConfigPath), Json.Options)!; }
        catch (JsonException e) { throw new InputException(ConfigPath, $"not a valid run config ({e.Message.Split('\n')[0]})"); }
    }

    public List<EpochMetrics> ReadMetrics() =>
        File.Exists(MetricsPath) ? File.ReadLines(MetricsPath).Skip(1).Where(l => l.Length > 0).Select(EpochMetrics.Parse).ToList() : [];

    public void WriteMetrics(IEnumerable<EpochMetrics> rows) =>
        AtomicFile.WriteAllText(MetricsPath, EpochMetrics.Header + "\n" + string.Concat(rows.Select(r => r.ToCsv() + "\n")));

    public void Log(string line)
    {
        System.IO.Directory.CreateDirectory(Directory);
        File.AppendAllText(LogPath, $"{DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} {line}\n");
    }

    public void SaveCheckpoint(string name, MerlinModel model, RunConfig config, TorchSharp.Modules.OptimizerHelper? optimizer, TrainerState state)
    {
        var target = Checkpoint(name);
        var staging = target + $".{Guid.NewGuid():N}.tmp";
        if (config.Options.Mode == AdaptationMode.Full)
        {
            // A full-mode checkpoint is a complete model folder: `evaluate --model RUN/checkpoints/best` needs the tokenizer too.
            var tokenizer = Path.Combine(config.BaseModel, ModelFolder.TokenizerFile);
            ModelFolder.Save(model, staging, File.Exists(tokenizer) ? tokenizer : null);
        }
        else AdapterFolder.Save(model, config.Options.Mode, config.Options.Lora, config.BaseModelHash, staging, config.Options.PreciseBatchNorm);
        if (optimizer is not null) optimizer.save_state_dict(Path.Combine(staging, "optimizer.bin"));
        using (var rng = random.get_rng_state())
            SafetensorsFile.Save(Path.Combine(staging, "rng.safetensors"), [new("cpu", rng)]);
        AtomicFile.WriteAllText(Path.Combine(staging, "trainer_state.json"), JsonSerializer.Serialize(state, Json.Options));
        var old = target + ".old";
        if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, recursive: true);
        if (System.IO.Directory.Exists(target)) System.IO.Directory.Move(target, old);
        System.IO.Directory.Move(staging, target);
        if (System.IO.Directory.Exists(old)) System.IO.Directory.Delete(old, recursive: true);
    }

    public TrainerState ReadState(string name)
    {
        var path = Path.Combine(Checkpoint(name), "trainer_state.json");
        if (!File.Exists(path)) throw new InputException(Directory, $"has no checkpoints/{name} to resume from");
        return JsonSerializer.Deserialize<TrainerState>(File.ReadAllText(path), Json.Options)!;
    }

    /// <summary>Weights (into a model already in the run's mode), optimiser and random state of a checkpoint.</summary>
    public void LoadCheckpoint(string name, MerlinModel model, RunConfig config, TorchSharp.Modules.OptimizerHelper optimizer)
    {
        var dir = Checkpoint(name);
        var weights = config.Options.Mode == AdaptationMode.Full
            ? Path.Combine(dir, ModelFolder.WeightsFile)
            : Path.Combine(dir, AdapterFolder.WeightsFile);
        using (var tensors = SafetensorsFile.Load(weights)) StateDictMatch.Copy(model, tensors);
        optimizer.load_state_dict(Path.Combine(dir, "optimizer.bin"));
        using var rng = SafetensorsFile.Load(Path.Combine(dir, "rng.safetensors"));
        random.set_rng_state(rng["cpu"]);
    }
}
