using System.CommandLine;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`merge`: a base model + adapter folder → a plain model folder with the adapters merged into the weights.</summary>
internal static class MergeCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "base model folder the adapter was trained on", Required = true, HelpName = "DIR" };
        var adapter = new Option<string>("--adapter") { Description = "adapter folder (adapter.json + adapter.safetensors)", Required = true, HelpName = "DIR" };
        var output = new Option<string>("--out") { Description = "model folder to write", Required = true, HelpName = "DIR" };
        var command = new Command("merge", "Write a model folder with the adapters merged into the weights: the base architecture, zero inference overhead.")
        {
            model, adapter, output,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var baseDir = parse.GetValue(model)!;
            var (merged, mode, _) = AdapterFolder.Load(baseDir, parse.GetValue(adapter)!);
            using (merged)
            {
                var adapters = AdaptationPolicy.LoraLayers(merged).Count();
                AdapterFolder.MergeIntoPlainLayers(merged);
                var tokenizer = Path.Combine(baseDir, ModelFolder.TokenizerFile);
                ModelFolder.Save(merged, parse.GetValue(output)!, File.Exists(tokenizer) ? tokenizer : null);
                context.Output.WriteLine($"merge: {mode.Name()} adapter ({adapters} adapted layers) merged into {Path.GetFullPath(parse.GetValue(output)!)}");
            }
            return 0;
        }));
        return command;
    }
}
