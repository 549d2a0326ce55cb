using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Training;

namespace MerlinAdapt.Analysis;

/// <summary>
/// What a sweep (paper Table 4) or an ablation (Table 7) runs: the grid of adaptation modes × initial temperatures,
/// the training options every cell shares, where the data and the base model come from, and the split each cell is
/// evaluated on. Saved once as `sweep.json` / `ablation.json` in the experiment folder; a rerun must ask for the same.
/// </summary>
public sealed record ExperimentPlan
{
    /// <summary>"sweep" (cells named mode_tτ) or "ablation" (cells named by mode).</summary>
    public required string Kind { get; init; }

    public required string[] Modes { get; init; }

    public required double[] Temperatures { get; init; }

    /// <summary>The first cell's training options; every cell has these with its own mode and temperature.</summary>
    public required TrainingOptions Options { get; init; }

    public string? Model { get; init; }

    public string? Preset { get; init; }

    public string? Tokenizer { get; init; }

    public required string Manifest { get; init; }

    public string? Cache { get; init; }

    public string? Reports { get; init; }

    /// <summary>The split each trained cell is evaluated on (Table 4: test; Table 7: val).</summary>
    public required string EvalSplit { get; init; }

    /// <summary>Bootstrap resamples of the 95 % CIs (the paper's code: 1000).</summary>
    public int Resamples { get; init; } = 1000;

    public const string Sweep = "sweep";
    public const string Ablation = "ablation";

    public string FileName => Kind == Ablation ? "ablation.json" : "sweep.json";

    public TrainingRun.Source Source => new(Model, Preset, Tokenizer);

    /// <summary>A plan with absolute paths and the shared options normalised to the first cell (so equal requests compare equal).</summary>
    public static ExperimentPlan Create(string kind, IReadOnlyList<AdaptationMode> modes, IReadOnlyList<double> temperatures, TrainingOptions options,
        TrainingRun.Source source, string manifest, string? cache, string? reports, string evalSplit, int resamples)
    {
        if (kind is not (Sweep or Ablation)) throw new ArgumentException($"unknown experiment kind {kind}");
        if (modes.Count == 0) throw new InputException("--modes", "lists no adaptation mode");
        if (temperatures.Count == 0) throw new InputException("--temperatures", "lists no temperature");
        if (modes.Distinct().Count() != modes.Count) throw new InputException("--modes", "lists a mode twice");
        if (temperatures.Distinct().Count() != temperatures.Count) throw new InputException("--temperatures", "lists a temperature twice");
        foreach (var t in temperatures.Where(t => !(t > 0) || !double.IsFinite(t)))
            throw new InputException("--temperatures", $"{t.ToString(CultureInfo.InvariantCulture)} is not a positive temperature");
        if (evalSplit is not ("train" or "val" or "test" or "all")) throw new InputException("--eval-split", $"\"{evalSplit}\" is not train, val, test or all");
        if (resamples < 1) throw new InputException("--resamples", "must be at least 1");
        static string? Full(string? path) => path is null ? null : Path.GetFullPath(path);
        return new ExperimentPlan
        {
            Kind = kind, Modes = modes.Select(m => m.Name()).ToArray(), Temperatures = temperatures.ToArray(),
            Options = options with { Mode = modes[0], Temperature = temperatures[0] },
            Model = Full(source.ModelDirectory), Preset = source.Preset, Tokenizer = Full(source.TokenizerPath),
            Manifest = Path.GetFullPath(manifest), Cache = Full(cache), Reports = Full(reports), EvalSplit = evalSplit, Resamples = resamples,
        };
    }

    /// <summary>The cells in table order: temperature by temperature, each with every mode (as the paper's Table 4).</summary>
    public IReadOnlyList<ExperimentCell> Cells() =>
        Temperatures.SelectMany(t => Modes.Select(AdaptationModes.Parse).Select(m => new ExperimentCell(
            Kind == Ablation ? m.Name() : $"{m.Name()}_t{t.ToString("R", CultureInfo.InvariantCulture)}",
            Options with { Mode = m, Temperature = t }))).ToList();

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    public static ExperimentPlan Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "not found: not an experiment folder (give the --out of a sweep or ablation)");
        try { return JsonSerializer.Deserialize<ExperimentPlan>(File.ReadAllText(path), Json.Options)!; }
        catch (JsonException e) { throw new InputException(path, $"not a valid experiment plan ({e.Message.Split('\n')[0]})"); }
    }

    /// <summary>
    /// Writes the plan into a new experiment folder, or checks that the folder's plan is this one: a rerun continues
    /// the same experiment, never a different one in the same cells.
    /// </summary>
    public void SaveOrMatch(string directory)
    {
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(directory);
            AtomicFile.WriteAllText(path, ToJson());
            return;
        }
        var differences = Differences(Read(path), this);
        if (differences.Count > 0)
            throw new InputException(path, $"this folder holds a {Kind} with other settings ({string.Join("; ", differences.Take(3))}" +
                                           (differences.Count > 3 ? $"; {differences.Count - 3} more" : "") +
                                           "); use another --out, or --resume to continue it as it was");
    }

    /// <summary>"key: saved → requested" for every setting that differs (arrays and values compared as JSON).</summary>
    public static IReadOnlyList<string> Differences(ExperimentPlan saved, ExperimentPlan requested)
    {
        var a = Flatten(JsonNode.Parse(saved.ToJson())!, "");
        var b = Flatten(JsonNode.Parse(requested.ToJson())!, "");
        return a.Keys.Union(b.Keys).Order(StringComparer.Ordinal)
            .Where(k => a.GetValueOrDefault(k) != b.GetValueOrDefault(k))
            .Select(k => $"{k}: {a.GetValueOrDefault(k) ?? "none"} saved, {b.GetValueOrDefault(k) ?? "none"} now").ToList();
    }

    private static Dictionary<string, string> Flatten(JsonNode node, string prefix)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject obj)
            foreach (var (key, child) in obj)
            {
                var name = prefix.Length == 0 ? key : $"{prefix}.{key}";
                if (child is null) values[name] = "null";
                else foreach (var kv in Flatten(child, name)) values[kv.Key] = kv.Value;
            }
        else values[prefix] = node.ToJsonString();
        return values;
    }
}
