using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// How a set of named tensors lines up with a model's state dict, strictly by name: keys the model has and the file
/// lacks, keys the file has and the model lacks, and keys whose shapes differ. Copying upcasts float16/bfloat16 to
/// the model's float32 exactly (the model-parity fixtures are defined by that upcast).
/// </summary>
public sealed record StateDictMatch(IReadOnlyList<string> Missing, IReadOnlyList<string> Unexpected, IReadOnlyList<string> Mismatched, IReadOnlyList<string> Ignored)
{
    /// <summary>Keys that older transformers versions store but no model uses.</summary>
    private static readonly string[] Ignorable = ["encode_text.text_encoder.embeddings.position_ids"];

    public bool IsExact => Missing.Count == 0 && Unexpected.Count == 0 && Mismatched.Count == 0;

    public static StateDictMatch Compare(nn.Module model, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var expected = model.state_dict();
        var found = tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        var ignored = found.Keys.Where(k => Ignorable.Contains(k) && !expected.ContainsKey(k)).ToList();
        var missing = expected.Keys.Where(k => !found.ContainsKey(k)).ToList();
        var unexpected = found.Keys.Where(k => !expected.ContainsKey(k) && !ignored.Contains(k)).ToList();
        var mismatched = expected.Keys.Where(found.ContainsKey)
            .Where(k => !expected[k].shape.SequenceEqual(found[k].shape))
            .Select(k => $"{k}: model [{string.Join(",", expected[k].shape)}], file [{string.Join(",", found[k].shape)}]")
            .ToList();
        return new StateDictMatch(missing, unexpected, mismatched, ignored);
    }

    /// <summary>Copies every matching tensor into the model (converting dtype); call after checking <see cref="IsExact"/>.</summary>
    public static void Copy(nn.Module model, IReadOnlyList<KeyValuePair<string, Tensor>> tensors)
    {
        var found = tensors.ToDictionary(kv => kv.Key, kv => kv.Value, StringComparer.Ordinal);
        using var noGrad = no_grad();
        foreach (var (name, target) in model.state_dict())
        {
            if (!found.TryGetValue(name, out var source)) continue;
            using var converted = source.to(target.dtype);
            target.copy_(converted);
        }
    }

    /// <summary>A readable list for people: one line per problem, grouped.</summary>
    public IEnumerable<string> Describe(int limit = 20)
    {
        foreach (var (title, keys) in new[] { ("missing from the file", Missing), ("not in the model", Unexpected), ("shape differs", Mismatched) })
        {
            if (keys.Count == 0) continue;
            yield return $"{keys.Count} key(s) {title}:";
            foreach (var k in keys.Take(limit)) yield return "  " + k;
            if (keys.Count > limit) yield return $"  … and {keys.Count - limit} more";
        }
    }
}
