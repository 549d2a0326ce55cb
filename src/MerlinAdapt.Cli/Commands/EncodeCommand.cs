using System.CommandLine;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using MerlinAdapt.Reports;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`encode`: image or text embeddings (or raw tower outputs) as .npy, batch first.</summary>
internal static class EncodeCommand
{
    private static readonly string[] ImageOutputs = ["pooled", "contrastive", "phenotypes", "layer4"];
    private static readonly string[] IdOutputs = ["text-hidden", "text-cls", "text-projection"];

    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "model folder (from import)", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "adapter folder trained on --model (merged into the weights for encoding)", HelpName = "DIR" };
        var tensorIn = new Option<string?>("--tensor") { Description = "preprocessed volumes: float32 .npy, B×1×X×Y×Z", HelpName = "IN.npy" };
        var ids = new Option<string?>("--ids") { Description = "token ids: int64 .npy, B×L", HelpName = "IDS.npy" };
        var mask = new Option<string?>("--mask") { Description = "attention mask for --ids: int64 .npy, B×L (1 = token); default: ids ≠ pad", HelpName = "MASK.npy" };
        var text = new Option<string?>("--text") { Description = "one text (sanitised and tokenised as in training)" };
        var texts = new Option<string?>("--texts") { Description = "a file with one text per line", HelpName = "FILE" };
        var output = new Option<string?>("--output")
        {
            Description = "what to write: pooled|contrastive|phenotypes|layer4 (--tensor; default contrastive), text-hidden|text-cls|text-projection " +
                          "(--ids; default text-projection), text-embedding (--text/--texts, L2-normalised)",
        };
        var normalize = new Option<bool>("--normalize") { Description = "L2-normalise contrastive and text-projection outputs" };
        var batchSize = new Option<int>("--batch-size") { Description = "items per forward pass", DefaultValueFactory = _ => 2 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)", HelpName = "N" };
        var outPath = new Option<string>("--out") { Description = "output .npy (float32, batch first)", Required = true, HelpName = "OUT.npy" };
        var command = new Command("encode",
            "Embeddings or raw tower outputs for downstream use, from preprocessed volumes (.npy), token ids (.npy) or text.")
        {
            model, adapter, tensorIn, ids, mask, text, texts, output, normalize, batchSize, threads, outPath,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var sources = new[] { parse.GetValue(tensorIn), parse.GetValue(ids), parse.GetValue(text), parse.GetValue(texts) }.Count(s => s is not null);
            if (sources != 1) throw new InputException("--tensor/--ids/--text/--texts", "give exactly one input");
            if (parse.GetValue(threads) is { } n) set_num_threads(n);
            var batch = Math.Max(1, parse.GetValue(batchSize));
            var modelDir = parse.GetValue(model)!;
            using var merlin = AdapterFolder.LoadForInference(modelDir, parse.GetValue(adapter)).Model;
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            Tensor result;
            if (parse.GetValue(tensorIn) is { } volumes) result = EncodeVolumes(merlin, volumes, parse.GetValue(output) ?? "contrastive", batch);
            else if (parse.GetValue(ids) is { } idsPath) result = EncodeIds(merlin, idsPath, parse.GetValue(mask), parse.GetValue(output) ?? "text-projection", batch);
            else result = EncodeTexts(merlin, modelDir, parse.GetValue(text) is { } one ? [one] : ReadLines(parse.GetValue(texts)!), parse.GetValue(output) ?? "text-embedding", batch);
            var kind = parse.GetValue(output);
            if (parse.GetValue(normalize) && kind is null or "contrastive" or "text-projection") result = nn.functional.normalize(result, dim: -1);
            NpyFile.Write(parse.GetValue(outPath)!, result.to(float32));
            context.Output.WriteLine($"encode: ({string.Join(", ", result.shape)}) float32 → {parse.GetValue(outPath)}");
            return 0;
        }));
        return command;
    }

    private static Tensor EncodeVolumes(MerlinModel merlin, string path, string output, int batch)
    {
        if (!ImageOutputs.Contains(output)) throw new InputException("--output", $"\"{output}\" is not an image output ({string.Join(", ", ImageOutputs)})");
        if (!merlin.HasImageTower) throw new InputException("--model", "this model has no image tower");
        var volumes = NpyFile.Read(path);
        if (volumes.dtype != float32 || volumes.dim() != 5 || volumes.shape[1] != 1)
            throw new InputException(path, $"expected float32 B×1×X×Y×Z, got {volumes.dtype} ({string.Join(", ", volumes.shape)})");
        // BatchNorm folded into the convolutions, channels-last activations: the module's outputs to fp32 rounding, 1.8× faster (bench/results/encode.md).
        using var fused = new FusedI3ResNet(merlin.Image.Network);
        var parts = new List<Tensor>();
        for (long start = 0; start < volumes.shape[0]; start += batch)
        {
            using var f = fused.Forward(volumes.narrow(0, start, Math.Min(batch, volumes.shape[0] - start)));
            parts.Add((output switch
            {
                "pooled" => f.Pooled,
                "contrastive" => f.Contrastive,
                "phenotypes" => f.Phenotypes,
                _ => f.Layer4,
            }).clone());
        }
        return cat(parts, 0);
    }

    private static Tensor EncodeIds(MerlinModel merlin, string idsPath, string? maskPath, string output, int batch)
    {
        if (!IdOutputs.Contains(output)) throw new InputException("--output", $"\"{output}\" is not a token-id output ({string.Join(", ", IdOutputs)})");
        if (!merlin.HasTextTower) throw new InputException("--model", "this model has no text tower");
        var ids = NpyFile.Read(idsPath);
        if (ids.dtype != int64 || ids.dim() != 2) throw new InputException(idsPath, $"expected int64 B×L token ids, got {ids.dtype} ({string.Join(", ", ids.shape)})");
        using var pad = merlin.Config.Text!.PadId.ToScalar(); // see KeptScalars
        var mask = maskPath is null ? ids.ne(pad).to(int64) : NpyFile.Read(maskPath).to(int64);
        if (!mask.shape.SequenceEqual(ids.shape)) throw new InputException(maskPath, $"mask shape ({string.Join(", ", mask.shape)}) differs from the ids' ({string.Join(", ", ids.shape)})");
        var maxId = ids.max().ToInt64();
        if (maxId >= merlin.Config.Text!.VocabSize || ids.min().ToInt64() < 0)
            throw new InputException(idsPath, $"token ids must lie in 0..{merlin.Config.Text.VocabSize - 1}, found {maxId}");
        if (ids.shape[1] > merlin.Config.Text.MaxPositions - merlin.Config.Text.PadId - 1)
            throw new InputException(idsPath, $"{ids.shape[1]} tokens exceed the model's {merlin.Config.Text.MaxPositions - merlin.Config.Text.PadId - 1} positions");
        var parts = new List<Tensor>();
        for (long start = 0; start < ids.shape[0]; start += batch)
        {
            var count = Math.Min(batch, ids.shape[0] - start);
            using var f = merlin.EncodeText(ids.narrow(0, start, count), mask.narrow(0, start, count));
            parts.Add((output switch
            {
                "text-hidden" => f.Hidden,
                "text-cls" => f.Cls,
                _ => f.Projection,
            }).clone());
        }
        return cat(parts, 0);
    }

    private static Tensor EncodeTexts(MerlinModel merlin, string modelDir, IReadOnlyList<string> texts, string output, int batch)
    {
        if (output != "text-embedding") throw new InputException("--output", $"\"{output}\" is not a text output (text-embedding)");
        if (!merlin.HasTextTower) throw new InputException("--model", "this model has no text tower");
        using var tokenizer = ModelFolder.LoadTokenizer(modelDir);
        var parts = new List<Tensor>();
        for (var start = 0; start < texts.Count; start += batch)
        {
            var tokens = tokenizer.EncodeBatch(texts.Skip(start).Take(batch).ToList(), merlin.Config.Text!.MaxTokens, sanitize: true);
            using var f = merlin.EncodeText(tensor(tokens.Ids), tensor(tokens.AttentionMask));
            parts.Add(f.Normalized());
        }
        return cat(parts, 0);
    }

    private static IReadOnlyList<string> ReadLines(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "file not found");
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        return lines.Count > 0 ? lines : throw new InputException(path, "holds no text (one report per line)");
    }
}
