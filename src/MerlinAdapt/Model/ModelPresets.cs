namespace MerlinAdapt.Model;

/// <summary>
/// Named architectures (as open_clip keeps architectures as data): `merlin` is the real Merlin (ResNet-152 image
/// tower, Clinical-Longformer text tower, 271 M parameters); `tiny` keeps every structural feature at small widths
/// and depths, for tests and the demo on a CPU.
/// </summary>
public static class ModelPresets
{
    public static MerlinConfig Merlin { get; } = new()
    {
        Preset = "merlin",
        Image = new ImageEncoderConfig(),
        Text = new TextEncoderConfig(),
    };

    public static MerlinConfig Tiny { get; } = new()
    {
        Preset = "tiny",
        Image = new ImageEncoderConfig { Blocks = [1, 1, 1, 1], Planes = [8, 16, 32, 64], StemChannels = 8, Phenotypes = 16, EmbeddingSize = 32 },
        Text = new TextEncoderConfig
        {
            VocabSize = 1000, HiddenSize = 64, Layers = 2, Heads = 4, IntermediateSize = 128, AttentionWindow = 256,
            MaxPositions = 258, ProjectionSize = 32, MaxTokens = 256,
        },
    };

    public static IReadOnlyList<string> Names { get; } = ["merlin", "tiny"];

    public static MerlinConfig Get(string name) => name switch
    {
        "merlin" => Merlin,
        "tiny" => Tiny,
        _ => throw new InputException("--preset", $"unknown preset \"{name}\" (available: {string.Join(", ", Names)})"),
    };
}
