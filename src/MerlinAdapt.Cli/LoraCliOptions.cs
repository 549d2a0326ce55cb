using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Adaptation;

namespace MerlinAdapt.Cli;

/// <summary>The adapter options shared by params, train, sweep and ablate; defaults are the paper's code's.</summary>
internal sealed class LoraCliOptions
{
    private static readonly LoraOptions Defaults = new();

    public Option<int> TextRank { get; } = new("--text-rank") { Description = "text LoRA rank r", DefaultValueFactory = _ => Defaults.TextRank };
    public Option<double> TextAlpha { get; } = new("--text-alpha") { Description = "text LoRA α (scale α/r)", DefaultValueFactory = _ => Defaults.TextAlpha };
    public Option<double> TextDropout { get; } = new("--text-dropout") { Description = "dropout on the text LoRA input", DefaultValueFactory = _ => Defaults.TextDropout };
    public Option<string> TextTargets { get; } = new("--text-targets") { Description = "Longformer linear layers to adapt, comma-separated", DefaultValueFactory = _ => string.Join(",", Defaults.TextTargets) };
    public Option<int> ImageRank { get; } = new("--image-rank") { Description = "ConvLoRA rank r", DefaultValueFactory = _ => Defaults.ImageRank };
    public Option<double> ImageAlpha { get; } = new("--image-alpha") { Description = "ConvLoRA α (scale α/r)", DefaultValueFactory = _ => Defaults.ImageAlpha };
    public Option<string> ImageTargets { get; } = new("--image-targets") { Description = "bottleneck convolutions to adapt, comma-separated", DefaultValueFactory = _ => string.Join(",", Defaults.ImageTargets) };

    public IEnumerable<Option> All => [TextRank, TextAlpha, TextDropout, TextTargets, ImageRank, ImageAlpha, ImageTargets];

    public LoraOptions Read(ParseResult parse)
    {
        var options = new LoraOptions
        {
            TextRank = parse.GetValue(TextRank),
            TextAlpha = parse.GetValue(TextAlpha),
            TextDropout = parse.GetValue(TextDropout),
            TextTargets = Split(parse.GetValue(TextTargets)!),
            ImageRank = parse.GetValue(ImageRank),
            ImageAlpha = parse.GetValue(ImageAlpha),
            ImageTargets = Split(parse.GetValue(ImageTargets)!),
        };
        if (options.TextRank < 1 || options.ImageRank < 1) throw new InputException("--text-rank/--image-rank", "ranks must be at least 1");
        if (options.TextDropout is < 0 or >= 1) throw new InputException("--text-dropout", $"must lie in [0, 1), got {options.TextDropout.ToString(CultureInfo.InvariantCulture)}");
        return options;
    }

    private static string[] Split(string list) => list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
