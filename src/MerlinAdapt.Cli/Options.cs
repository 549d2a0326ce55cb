using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Preprocessing;

namespace MerlinAdapt.Cli;

/// <summary>Options shared by several commands, with their parsing (comma lists) and defaults.</summary>
internal static class Options
{
    public static Option<double[]> Spacing() => new("--spacing")
    {
        Description = "target voxel size in mm, X,Y,Z (Merlin: 1.5,1.5,3)",
        HelpName = "X,Y,Z",
        CustomParser = r => ParseList(r, s => double.Parse(s, CultureInfo.InvariantCulture), 3),
        DefaultValueFactory = _ => [1.5, 1.5, 3.0],
    };

    public static Option<int[]> Size() => new("--size")
    {
        Description = "output grid in voxels, X,Y,Z (Merlin: 224,224,160)",
        HelpName = "X,Y,Z",
        CustomParser = r => ParseList(r, s => int.Parse(s, CultureInfo.InvariantCulture), 3),
        DefaultValueFactory = _ => [224, 224, 160],
    };

    public static Option<string> Depth() => new Option<string>("--depth")
    {
        Description = "how Z reaches its size: pad-crop (Merlin) or resample (the paper's code: linear to exactly Z slices)",
        DefaultValueFactory = _ => "pad-crop",
    }.AcceptOnlyFromAmong("pad-crop", "resample");

    public static Option<bool> AllowNan() => new("--allow-nan")
    {
        Description = "carry NaN/Inf voxels through as MONAI does (default: refuse the scan; a CT with NaN is damaged)",
    };

    public static Option<int?> Volume() => new("--volume")
    {
        Description = "which volume (0-based) of a 4-D file to use",
        HelpName = "N",
    };

    public static PreprocessingOptions Preprocessing(ParseResult parse, Option<double[]> spacing, Option<int[]> size, Option<string> depth) =>
        new()
        {
            Spacing = parse.GetValue(spacing)!,
            Size = parse.GetValue(size)!,
            Depth = parse.GetValue(depth) == "resample" ? DepthMode.Resample : DepthMode.PadCrop,
        };

    internal static T[] ParseList<T>(System.CommandLine.Parsing.ArgumentResult result, Func<string, T> parse, int count)
    {
        var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Join(" ", result.Tokens.Select(t => t.Value));
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        try
        {
            if (parts.Length == count) return parts.Select(parse).ToArray();
        }
        catch (Exception e) when (e is FormatException or OverflowException)
        {
        }
        result.AddError($"{((System.CommandLine.Parsing.OptionResult)result.Parent!).Option.Name} needs {count} comma-separated numbers, got \"{text}\"");
        return [];
    }
}
