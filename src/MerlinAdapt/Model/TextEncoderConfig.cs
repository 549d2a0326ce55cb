using System.Text.Json;

namespace MerlinAdapt.Model;

/// <summary>
/// The Longformer text encoder and Merlin's projection as data. Defaults are Clinical-Longformer's
/// (merlin-model.md §2.1). Heads and attention window cannot be read from weight shapes, so importing a checkpoint
/// takes them from a Hugging Face config.json.
/// </summary>
public sealed record TextEncoderConfig
{
    public int VocabSize { get; init; } = 50265;
    public int HiddenSize { get; init; } = 768;
    public int Layers { get; init; } = 12;
    public int Heads { get; init; } = 12;
    public int IntermediateSize { get; init; } = 3072;

    /// <summary>Full window (both sides); a token sees ±AttentionWindow/2 tokens. Clinical-Longformer: 512.</summary>
    public int AttentionWindow { get; init; } = 512;

    public int MaxPositions { get; init; } = 4098;
    public int TypeVocabSize { get; init; } = 1;
    public int PadId { get; init; } = 1;
    public double LayerNormEps { get; init; } = 1e-5;
    public double HiddenDropout { get; init; } = 0.1;
    public double AttentionDropout { get; init; } = 0.1;

    /// <summary>Merlin's linear_layer: 768 → 512.</summary>
    public int ProjectionSize { get; init; } = 512;

    /// <summary>Longest tokenised text fed to the model (Merlin truncates at 1024, keeping &lt;/s&gt;).</summary>
    public int MaxTokens { get; init; } = 1024;

    public int HeadSize => HiddenSize / Heads;

    public void Validate()
    {
        if (HiddenSize % Heads != 0) throw new ArgumentException($"hidden size {HiddenSize} is not a multiple of {Heads} heads");
        if (AttentionWindow < 2 || AttentionWindow % 2 != 0) throw new ArgumentException($"attention window {AttentionWindow} must be even and ≥ 2");
        if (MaxTokens + 2 > MaxPositions) throw new ArgumentException($"{MaxTokens} tokens need {MaxTokens + 2} positions, the table has {MaxPositions}");
    }

    /// <summary>
    /// Reads a Hugging Face Longformer/RoBERTa config.json (attention_window may be one number or one per layer;
    /// all layers must agree). Fields it lacks keep <paramref name="defaults"/>.
    /// </summary>
    public static TextEncoderConfig FromHuggingFace(string path, TextEncoderConfig? defaults = null)
    {
        var config = defaults ?? new TextEncoderConfig();
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (FileNotFoundException) { throw new InputException(path, "text config not found"); }
        catch (JsonException e) { throw new InputException(path, $"not valid JSON ({e.Message.Split('\n')[0]})"); }

        int Int(string name, int fallback) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetInt32() : fallback;
        double Double(string name, double fallback) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

        if (root.TryGetProperty("hidden_act", out var act) && act.GetString() is { } a && a != "gelu")
            throw new InputException(path, $"hidden_act \"{a}\" is not supported (Longformer uses exact GELU, \"gelu\")");
        var window = config.AttentionWindow;
        if (root.TryGetProperty("attention_window", out var w))
        {
            var windows = w.ValueKind == JsonValueKind.Array ? w.EnumerateArray().Select(x => x.GetInt32()).Distinct().ToArray() : [w.GetInt32()];
            if (windows.Length != 1) throw new InputException(path, $"per-layer attention windows differ ({string.Join(",", windows)}); MerlinAdapt needs one window for all layers");
            window = windows[0];
        }
        return config with
        {
            VocabSize = Int("vocab_size", config.VocabSize),
            HiddenSize = Int("hidden_size", config.HiddenSize),
            Layers = Int("num_hidden_layers", config.Layers),
            Heads = Int("num_attention_heads", config.Heads),
            IntermediateSize = Int("intermediate_size", config.IntermediateSize),
            AttentionWindow = window,
            MaxPositions = Int("max_position_embeddings", config.MaxPositions),
            TypeVocabSize = Int("type_vocab_size", config.TypeVocabSize),
            PadId = Int("pad_token_id", config.PadId),
            LayerNormEps = Double("layer_norm_eps", config.LayerNormEps),
            HiddenDropout = Double("hidden_dropout_prob", config.HiddenDropout),
            AttentionDropout = Double("attention_probs_dropout_prob", config.AttentionDropout),
        };
    }
}
