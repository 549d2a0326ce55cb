using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`params`: parameter counts per part of a preset or model folder.</summary>
internal static class ParamsCommand
{
    public static Command Create(CliContext context)
    {
        var preset = new Option<string>("--preset") { Description = $"architecture preset ({string.Join(", ", ModelPresets.Names)})", DefaultValueFactory = _ => "merlin" };
        var model = new Option<string?>("--model") { Description = "a model folder (from import) instead of a preset", HelpName = "DIR" };
        var mode = new Option<string?>("--mode") { Description = $"also count an adaptation mode's trainable parameters ({string.Join(", ", AdaptationModes.Names)})" };
        var lora = new LoraCliOptions();
        var command = new Command("params", "Print parameter counts per part (image encoder, text encoder, adapters, projections, temperature).") { preset, model, mode };
        foreach (var option in lora.All) command.Options.Add(option);
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var modelDir = parse.GetValue(model);
            var config = modelDir is null ? ModelPresets.Get(parse.GetValue(preset)!) : ModelFolder.ReadConfig(modelDir);
            using var built = new MerlinModel(config);
            string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture).PadLeft(13);
            if (parse.GetValue(mode) is not { } modeName)
            {
                var counts = built.CountParameters();
                context.Output.WriteLine($"preset: {config.Preset}");
                context.Output.WriteLine($"image encoder  {N(counts.ImageEncoder)}");
                context.Output.WriteLine($"text encoder   {N(counts.TextEncoder)}");
                context.Output.WriteLine($"temperature    {N(counts.Temperature)}  (logit_scale; trainable in every mode, counted on its own)");
                context.Output.WriteLine($"total          {N(counts.Total)}");
                return 0;
            }
            var adaptation = AdaptationModes.Parse(modeName);
            var options = lora.Read(parse);
            AdaptationPolicy.Apply(built, adaptation, options);
            var b = ParameterBreakdown.Of(built, adaptation);
            context.Output.WriteLine($"preset: {config.Preset}, mode: {adaptation.Name()}");
            context.Output.WriteLine($"image encoder  {N(b.ImageEncoder)}");
            context.Output.WriteLine($"text encoder   {N(b.TextEncoder)}");
            if (adaptation.UsesTextLora())
                context.Output.WriteLine($"text LoRA      {N(b.TextLora)}  (r={options.TextRank}, alpha={options.TextAlpha}, on {string.Join("/", options.TextTargets)})");
            if (adaptation.UsesConvLora())
                context.Output.WriteLine($"ConvLoRA       {N(b.ConvLora)}  (r={options.ImageRank}, alpha={options.ImageAlpha}; " +
                                         string.Join(" / ", b.ConvLoraPerStage.Select((n, i) => $"layer{i + 1} {n.ToString("N0", CultureInfo.InvariantCulture)}")) + ")");
            if (b.Projections > 0) context.Output.WriteLine($"projections    {N(b.Projections)}");
            context.Output.WriteLine($"trainable      {N(b.Trainable)}  ({100.0 * b.Trainable / b.Total:0.00} % of {b.Total.ToString("N0", CultureInfo.InvariantCulture)}; without the temperature)");
            context.Output.WriteLine($"temperature    {N(b.Temperature)}  (logit_scale; trainable in every mode)");
            return 0;
        }));
        return command;
    }
}
