using System.Security.Cryptography;
using MerlinAdapt.Model.Checkpoints;
using MerlinAdapt.Model.Tokenization;
using static TorchSharp.torch;

namespace MerlinAdapt.Model;

/// <summary>
/// A MerlinAdapt model folder (design.md, Formats): `model.json` (architecture), `weights.safetensors` (every
/// parameter and buffer, float32) and, when the model has a text tower, `tokenizer.json`. Saving and loading
/// round-trip exactly; loading is strict by name.
/// </summary>
public static class ModelFolder
{
    public const string ConfigFile = "model.json";
    public const string WeightsFile = "weights.safetensors";
    public const string TokenizerFile = "tokenizer.json";

    public static void Save(MerlinModel model, string directory, string? tokenizerPath = null)
    {
        Directory.CreateDirectory(directory);
        if (tokenizerPath is not null)
        {
            var target = Path.Combine(directory, TokenizerFile);
            if (!string.Equals(Path.GetFullPath(tokenizerPath), Path.GetFullPath(target), StringComparison.Ordinal))
                AtomicFile.Write(target, stream => { using var source = File.OpenRead(tokenizerPath); source.CopyTo(stream); });
        }
        SafetensorsFile.Save(Path.Combine(directory, WeightsFile), model.state_dict().Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value)),
            new Dictionary<string, string> { ["format"] = "merlin-adapt", ["preset"] = model.Config.Preset });
        // model.json last: a folder with it is complete.
        AtomicFile.WriteAllText(Path.Combine(directory, ConfigFile), model.Config.ToJson());
    }

    public static MerlinConfig ReadConfig(string directory)
    {
        var path = Path.Combine(directory, ConfigFile);
        if (!Directory.Exists(directory)) throw new InputException(directory, "model folder not found");
        if (!File.Exists(path)) throw new InputException(directory, $"not a model folder (no {ConfigFile}); make one with `merlin-adapt import`");
        return MerlinConfig.FromJson(File.ReadAllText(path), path);
    }

    /// <summary>The model, in eval mode, with its weights.</summary>
    public static MerlinModel Load(string directory)
    {
        var config = ReadConfig(directory);
        var weights = Path.Combine(directory, WeightsFile);
        if (!File.Exists(weights)) throw new InputException(directory, $"model folder has no {WeightsFile}");
        var model = new MerlinModel(config);
        using var tensors = SafetensorsFile.Load(weights);
        var match = StateDictMatch.Compare(model, tensors);
        if (!match.IsExact)
        {
            model.Dispose();
            throw new InputException(weights, "does not match model.json: " + string.Join("; ", match.Describe(5)));
        }
        StateDictMatch.Copy(model, tensors);
        model.eval();
        return model;
    }

    /// <summary>The folder's tokenizer, or a clear error when a raw-text path needs one it lacks.</summary>
    public static TextTokenizer LoadTokenizer(string directory)
    {
        var path = Path.Combine(directory, TokenizerFile);
        if (!File.Exists(path))
            throw new InputException(directory, $"model folder has no {TokenizerFile}; import with --tokenizer to encode raw text (token ids work without it)");
        return TextTokenizer.Load(path);
    }

    /// <summary>SHA-256 of the weights: adapters record it and load only onto the base they were trained from.</summary>
    public static string WeightsHash(string directory)
    {
        using var stream = File.OpenRead(Path.Combine(directory, WeightsFile));
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }
}
