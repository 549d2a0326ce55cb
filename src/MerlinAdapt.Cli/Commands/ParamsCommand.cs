using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Model;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`params`: parameter counts per part of a preset or model folder.</summary>
internal static class ParamsCommand
{
    public static Command Create(CliContext context)
    {
        var preset = new Option<string>("--preset") { Description = $"architecture preset ({string.Join(", ", ModelPresets.Names)})", DefaultValueFactory = _ => "merlin" };
        var model = new Option<string?>("--model") { Description = "a model folder (from import) instead of a preset", HelpName = "DIR" };
        var command = new Command("params", "Print parameter counts per part (image encoder, text encoder, temperature).") { preset, model };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var modelDir = parse.GetValue(model);
            var config = modelDir is null ? ModelPresets.Get(parse.GetValue(preset)!) : ModelFolder.ReadConfig(modelDir);
            using var built = new MerlinModel(config);
            var counts = built.CountParameters();
            string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture).PadLeft(13);
            context.Output.WriteLine($"preset: {config.Preset}");
            context.Output.WriteLine($"image encoder  {N(counts.ImageEncoder)}");
            context.Output.WriteLine($"text encoder   {N(counts.TextEncoder)}");
            context.Output.WriteLine($"temperature    {N(counts.Temperature)}  (logit_scale; trainable in every mode, counted on its own)");
            context.Output.WriteLine($"total          {N(counts.Total)}");
            return 0;
        }));
        return command;
    }
}
