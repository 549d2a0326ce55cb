using System.Security.Cryptography;
using System.Text;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using MerlinAdapt.Model.Tokenization;
using static TorchSharp.torch;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// Prompt embeddings through the same sanitiser, tokenizer and text tower as reports, cached per model: in memory,
/// and on disk when a folder is given (keyed by the model's identity and the prompts' text).
/// </summary>
public sealed class PromptEncoder(MerlinModel model, TextTokenizer tokenizer, string modelKey, string? cacheDirectory = null)
{
    private readonly Dictionary<string, Dictionary<string, Tensor>> _memory = [];

    public IReadOnlyDictionary<string, Tensor> Encode(PromptSet prompts)
    {
        var key = Key(prompts);
        if (_memory.TryGetValue(key, out var cached)) return cached;
        var file = cacheDirectory is null ? null : Path.Combine(cacheDirectory, key + ".safetensors");
        Dictionary<string, Tensor> result;
        if (file is not null && File.Exists(file))
        {
            using var loaded = SafetensorsFile.Load(file);
            result = prompts.ClassNames.ToDictionary(c => c, c => loaded[c].clone().DetachFromDisposeScope());
        }
        else
        {
            using var noGrad = no_grad();
            // Prompts are encoded without dropout whatever mode the caller left the model in (a fresh module trains).
            var wasTraining = model.Text.training;
            model.Text.eval();
            try
            {
                result = prompts.ClassNames.ToDictionary(c => c, c =>
                {
                    var batch = tokenizer.EncodeBatch(prompts.Classes[c], model.Config.Text!.MaxTokens, sanitize: true);
                    using var ids = tensor(batch.Ids);
                    using var mask = tensor(batch.AttentionMask);
                    using var features = model.EncodeText(ids, mask);
                    return features.Normalized().DetachFromDisposeScope();
                });
            }
            finally
            {
                if (wasTraining) model.Text.train();
            }
            if (file is not null)
            {
                Directory.CreateDirectory(cacheDirectory!);
                SafetensorsFile.Save(file, result.Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value)));
            }
        }
        _memory[key] = result;
        return result;
    }

    private string Key(PromptSet prompts)
    {
        var text = new StringBuilder(modelKey).Append('\n');
        foreach (var c in prompts.ClassNames) text.Append(c).Append('\t').AppendJoin('\t', prompts.Classes[c]).Append('\n');
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())))[..32];
    }
}
