using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// An adapter folder: `adapter.json` + `adapter.safetensors` holding only what was trained — the LoRA A/B matrices,
/// the unfrozen projections and the temperature (about 13 MB for `peft` at full size) — plus, when BatchNorm statistics
/// were recomputed on the target scans (AdaBN, `--precise-bn`), the image tower's running statistics (0.6 MB for
/// Merlin); in `full` mode every tensor. It loads onto a base model only when the base's weight hash matches.
/// </summary>
public static class AdapterFolder
{
    public const string ConfigFile = "adapter.json";
    public const string WeightsFile = "adapter.safetensors";

    public static void Save(MerlinModel model, AdaptationMode mode, LoraOptions options, string baseModelHash, string directory,
        bool batchNormStatistics = false)
    {
        Directory.CreateDirectory(directory);
        var state = model.state_dict();
        var kept = new HashSet<string>(model.named_parameters().Where(p => p.parameter.requires_grad).Select(p => p.name));
        if (batchNormStatistics) kept.UnionWith(BatchNormBufferNames(model));
        var tensors = state.Where(kv => mode == AdaptationMode.Full || kept.Contains(kv.Key))
            .Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value));
        SafetensorsFile.Save(Path.Combine(directory, WeightsFile), tensors, new Dictionary<string, string> { ["format"] = "merlin-adapt-adapter", ["mode"] = mode.Name() });
        var config = new AdapterConfig
        {
            Mode = mode.Name(), Lora = options, BaseModelHash = baseModelHash, BasePreset = model.Config.Preset,
            BatchNormStatistics = batchNormStatistics || mode == AdaptationMode.Full,
        };
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), config.ToJson());
    }

    /// <summary>State-dict names of the image tower's BatchNorm running statistics (mean, variance, batch counter).</summary>
    public static IEnumerable<string> BatchNormBufferNames(MerlinModel model) =>
        model.named_modules().Where(m => m.module is Model.Image.BatchNorm3d)
            .SelectMany(m => new[] { "running_mean", "running_var", "num_batches_tracked" }.Select(b => $"{m.name}.{b}"));

    public static AdapterConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!File.Exists(path)) throw new InputException(directory, $"not an adapter folder (no {ConfigFile})");
        return AdapterConfig.FromJson(path);
    }

    /// <summary>The base model from <paramref name="modelDirectory"/> with the adapters applied and loaded (eval mode).</summary>
    public static (MerlinModel Model, AdaptationMode Mode, AdapterConfig Config) Load(string modelDirectory, string adapterDirectory)
    {
        var config = ReadConfig(adapterDirectory);
        var hash = ModelFolder.WeightsHash(modelDirectory);
        if (!string.Equals(hash, config.BaseModelHash, StringComparison.OrdinalIgnoreCase))
            throw new InputException(adapterDirectory, $"was trained on another base model (weights {config.BaseModelHash[..12]}…, this one {hash[..12]}…); use the --model it was trained from");
        var mode = AdaptationModes.Parse(config.Mode);
        var model = ModelFolder.Load(modelDirectory);
        try
        {
            AdaptationPolicy.Apply(model, mode, config.Lora);
            var weights = Path.Combine(adapterDirectory, WeightsFile);
            if (!File.Exists(weights)) throw new InputException(adapterDirectory, $"adapter folder has no {WeightsFile}");
            using var tensors = SafetensorsFile.Load(weights);
            var match = StateDictMatch.Compare(model, tensors);
            if (match.Unexpected.Count > 0 || match.Mismatched.Count > 0)
                throw new InputException(weights, "does not fit the model: " + string.Join("; ", match.Describe(5)));
            StateDictMatch.Copy(model, tensors);
            model.eval();
            return (model, mode, config);
        }
        catch
        {
            model.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A model for inference: the base, or the base with the adapter merged into its weights (plain layers, fused path
    /// usable), and a key naming exactly these weights (for caches such as prompt embeddings).
    /// </summary>
    public static (MerlinModel Model, string Key) LoadForInference(string modelDirectory, string? adapterDirectory)
    {
        var key = ModelFolder.WeightsHash(modelDirectory);
        if (adapterDirectory is null) return (ModelFolder.Load(modelDirectory), key);
        var (model, _, _) = Load(modelDirectory, adapterDirectory);
        MergeIntoPlainLayers(model);
        using var stream = File.OpenRead(Path.Combine(adapterDirectory, WeightsFile));
        return (model, key + ":" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(stream)));
    }

    /// <summary>Merges every adapter into its layer's weight and replaces it by a plain layer: the base architecture, zero overhead.</summary>
    public static void MergeIntoPlainLayers(MerlinModel model)
    {
        var layers = ModuleSurgery.Children(model).Where(c => c.Child is ILoraLayer).ToList();
        using var noGrad = no_grad();
        foreach (var (_, parent, name, child) in layers) ModuleSurgery.Replace(parent, name, ((ILoraLayer)child).ToPlain());
    }
}
