using System.Text.RegularExpressions;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// `import`: the official Merlin checkpoint (a PyTorch zip of `encode_image.i3_resnet.*`, `encode_text.*` and
/// `logit_scale`) into a <see cref="MerlinModel"/>, strictly by name. The architecture is read from the keys and
/// shapes — block counts, widths, vocabulary, layers, sizes — so reduced checkpoints import too; attention heads and
/// window cannot be read from shapes and come from a Hugging Face config.json (Clinical-Longformer's by default).
/// A checkpoint may hold one tower only. Nothing in the file is executed (<see cref="TorchCheckpointReader"/>).
/// </summary>
public static partial class CheckpointImporter
{
    public const string ImagePrefix = "encode_image.i3_resnet.";
    public const string TextPrefix = "encode_text.";

    public static ImportResult Import(string checkpointPath, string? textConfigPath = null)
    {
        using var tensors = TorchCheckpointReader.Read(checkpointPath);
        var notes = new List<string>();
        if (tensors.WrapperKey is { } wrapper) notes.Add($"weights found under the top-level key \"{wrapper}\"");
        var names = tensors.Names.ToList();
        var hasImage = names.Any(n => n.StartsWith(ImagePrefix, StringComparison.Ordinal));
        var hasText = names.Any(n => n.StartsWith(TextPrefix, StringComparison.Ordinal));
        if (!hasImage && !hasText)
            throw new InputException(checkpointPath, $"no Merlin weights: no key starts with {ImagePrefix} or {TextPrefix} (first keys: {string.Join(", ", names.Take(3))})");

        var image = hasImage ? InferImage(tensors, checkpointPath) : null;
        var text = hasText ? InferText(tensors, textConfigPath, checkpointPath, notes) : null;
        var config = new MerlinConfig { Preset = "imported", Image = image, Text = text };
        var model = new MerlinModel(config);
        var match = StateDictMatch.Compare(model, tensors);
        if (!tensors.ContainsKey("logit_scale"))
        {
            // A one-tower file may lack it; the model keeps Merlin's initial value.
            match = match with { Missing = match.Missing.Where(k => k != "logit_scale").ToList() };
            notes.Add("no logit_scale in the file: the temperature starts at Merlin's initial logit_scale 1.0");
        }
        if (match.IsExact) StateDictMatch.Copy(model, tensors);
        model.eval();
        var dtypes = tensors.Where(kv => kv.Value.is_floating_point()).Select(kv => kv.Value.dtype).Distinct().ToList();
        if (dtypes.Any(d => d != float32)) notes.Add($"weights stored as {string.Join("/", dtypes)} were upcast to float32");
        foreach (var key in match.Ignored) notes.Add($"ignored {key} (not a weight)");
        return new ImportResult(model, match, hasImage, hasText, notes);
    }

    internal static ImageEncoderConfig InferImage(TorchStateDict tensors, string path)
    {
        Tensor Need(string key) => tensors.TryGetValue(ImagePrefix + key, out var t) ? t : throw new InputException(path, $"image tower lacks {ImagePrefix}{key}");
        var blocks = new int[4];
        var planes = new int[4];
        for (var s = 0; s < 4; s++)
        {
            var stage = $"layer{s + 1}.";
            blocks[s] = tensors.Names
                .Select(n => n.StartsWith(ImagePrefix + stage, StringComparison.Ordinal) ? BlockIndex().Match(n[(ImagePrefix.Length + stage.Length)..]) : Match.Empty)
                .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(-1).Max() + 1;
            if (blocks[s] == 0) throw new InputException(path, $"image tower has no {ImagePrefix}{stage}* blocks");
            planes[s] = (int)Need($"{stage}0.conv1.weight").shape[0];
        }
        return new ImageEncoderConfig
        {
            Blocks = blocks,
            Planes = planes,
            StemChannels = (int)Need("conv1.weight").shape[0],
            Phenotypes = (int)Need("classifier.weight").shape[0],
            EmbeddingSize = (int)Need("contrastive_head.weight").shape[0],
        };
    }

    internal static TextEncoderConfig InferText(TorchStateDict tensors, string? configPath, string path, List<string> notes)
    {
        const string bert = TextPrefix + "text_encoder.";
        Tensor Need(string key) => tensors.TryGetValue(key, out var t) ? t : throw new InputException(path, $"text tower lacks {key}");
        var baseConfig = configPath is null ? new TextEncoderConfig() : TextEncoderConfig.FromHuggingFace(configPath);
        if (configPath is null) notes.Add("attention heads and window from Clinical-Longformer's config (12 heads, window 512); pass --text-config to change");
        var words = Need(bert + "embeddings.word_embeddings.weight");
        var positions = Need(bert + "embeddings.position_embeddings.weight");
        var layers = tensors.Names
            .Select(n => n.StartsWith(bert + "encoder.layer.", StringComparison.Ordinal) ? BlockIndex().Match(n[(bert.Length + "encoder.layer.".Length)..]) : Match.Empty)
            .Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).DefaultIfEmpty(-1).Max() + 1;
        var inferred = baseConfig with
        {
            VocabSize = (int)words.shape[0],
            HiddenSize = (int)words.shape[1],
            MaxPositions = (int)positions.shape[0],
            TypeVocabSize = (int)Need(bert + "embeddings.token_type_embeddings.weight").shape[0],
            Layers = layers,
            IntermediateSize = (int)Need(bert + "encoder.layer.0.intermediate.dense.weight").shape[0],
            ProjectionSize = (int)Need(TextPrefix + "linear_layer.weight").shape[0],
            MaxTokens = (int)Math.Min(1024, positions.shape[0] - baseConfig.PadId - 1),
        };
        foreach (var (field, fromConfig, fromWeights) in new[]
                 {
                     ("vocab_size", baseConfig.VocabSize, inferred.VocabSize), ("hidden_size", baseConfig.HiddenSize, inferred.HiddenSize),
                     ("num_hidden_layers", baseConfig.Layers, inferred.Layers), ("intermediate_size", baseConfig.IntermediateSize, inferred.IntermediateSize),
                 })
            if (configPath is not null && fromConfig != fromWeights)
                notes.Add($"{field}: the config says {fromConfig}, the weights {fromWeights}; using the weights");
        if (inferred.HiddenSize % inferred.Heads != 0)
            throw new InputException(configPath ?? path, $"hidden size {inferred.HiddenSize} is not divisible by {inferred.Heads} attention heads; pass the model's config.json with --text-config");
        return inferred;
    }

    [GeneratedRegex(@"^(\d+)\.")]
    private static partial Regex BlockIndex();
}

/// <summary>The imported model, how its keys matched, which towers the file held, and notes for the user.</summary>
public sealed record ImportResult(MerlinModel Model, StateDictMatch Match, bool HasImageTower, bool HasTextTower, IReadOnlyList<string> Notes)
{
    public string Towers => (HasImageTower, HasTextTower) switch
    {
        (true, true) => "image and text towers",
        (true, false) => "image tower only",
        _ => "text tower only",
    };
}
