using TorchSharp;
using System.CommandLine;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using MerlinAdapt.Model.Tokenization;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`import`: the official Merlin checkpoint (.pt) + tokenizer.json → a model folder.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context)
    {
        var checkpoint = new Option<string>("--checkpoint") { Description = "Merlin's PyTorch checkpoint (.pt); nothing in it is executed", Required = true, HelpName = "FILE.pt" };
        var tokenizer = new Option<string?>("--tokenizer") { Description = "Clinical-Longformer's tokenizer.json (needed to encode raw text)", HelpName = "tokenizer.json" };
        var textConfig = new Option<string?>("--text-config") { Description = "Hugging Face config.json of the text model (heads, attention window); default: Clinical-Longformer's", HelpName = "config.json" };
        var output = new Option<string>("--out") { Description = "model folder to write", Required = true, HelpName = "MODEL_DIR" };
        var command = new Command("import",
            "Convert the official Merlin checkpoint into a MerlinAdapt model folder (model.json, weights.safetensors, tokenizer.json). " +
            "Keys are matched strictly by name; the architecture is read from the weights, so reduced or one-tower checkpoints import too.")
        {
            checkpoint, tokenizer, textConfig, output,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var tokenizerPath = parse.GetValue(tokenizer);
            var result = CheckpointImporter.Import(parse.GetValue(checkpoint)!, parse.GetValue(textConfig));
            using var model = result.Model;
            if (!result.Match.IsExact)
            {
                foreach (var line in result.Match.Describe()) context.Error.WriteLine(line);
                throw new InputException(parse.GetValue(checkpoint), "keys do not match Merlin's architecture (listed above); nothing was written");
            }
            if (tokenizerPath is not null && model.HasTextTower)
            {
                using var t = TextTokenizer.Load(tokenizerPath);
                if (t.VocabularySize > model.Config.Text!.VocabSize)
                    throw new InputException(tokenizerPath, $"has {t.VocabularySize} token ids but the text tower's vocabulary has {model.Config.Text.VocabSize}; wrong tokenizer?");
            }
            var outDir = parse.GetValue(output)!;
            ModelFolder.Save(model, outDir, model.HasTextTower ? tokenizerPath : null);

            var counts = model.CountParameters();
            context.Output.WriteLine($"import: {result.Towers} found; {counts.Total:N0} parameters → {Path.GetFullPath(outDir)}");
            if (model.Config.Image is { } image)
                context.Output.WriteLine($"import: image tower: blocks {string.Join(",", image.Blocks)}, widths {string.Join(",", image.Planes.Select(p => 4 * p))}, " +
                                         $"{image.Phenotypes} phenotypes, {image.EmbeddingSize}-d embedding");
            if (model.Config.Text is { } text)
                context.Output.WriteLine($"import: text tower: {text.Layers} layers, hidden {text.HiddenSize}, {text.Heads} heads, window {text.AttentionWindow}, " +
                                         $"vocabulary {text.VocabSize}, {text.ProjectionSize}-d projection");
            context.Output.WriteLine($"import: temperature τ = {model.Temperature:0.####} (logit_scale {model.LogitScale.ToSingle():0.####})");
            foreach (var note in result.Notes) context.Output.WriteLine($"import: note: {note}");
            if (model.HasTextTower && tokenizerPath is null)
                context.Output.WriteLine("import: note: no --tokenizer given; `encode --text` will need one (token ids work without it)");
            return 0;
        }));
        return command;
    }
}
