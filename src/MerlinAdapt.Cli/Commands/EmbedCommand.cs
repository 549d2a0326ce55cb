using System.CommandLine;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`embed`: embeddings, PCA/t-SNE plots, the class-sorted similarity matrix and the matched-pair cosine of a split.</summary>
internal static class EmbedCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "model folder", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "adapter folder trained on --model", HelpName = "DIR" };
        var manifest = new Option<string>("--manifest") { Description = "manifest", Required = true, HelpName = "M" };
        var split = new Option<string>("--split") { Description = "train, val, test, or all", DefaultValueFactory = _ => "test" };
        var cache = new Option<string?>("--cache") { Description = "preprocessed scans from prepare", HelpName = "DIR" };
        var perplexity = new Option<double>("--perplexity") { Description = "t-SNE perplexity (lowered for small splits)", DefaultValueFactory = _ => 30 };
        var seed = new Option<int>("--seed") { Description = "t-SNE seed", DefaultValueFactory = _ => 42 };
        var batch = new Option<int>("--batch-size") { Description = "volumes per forward pass", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "output folder", Required = true, HelpName = "DIR" };
        var command = new Command("embed",
            "Image and report embeddings of a split (CSV), PCA and t-SNE projections coloured by class, the class-sorted image × report similarity matrix, and the mean matched-pair cosine.")
        {
            model, adapter, manifest, split, cache, perplexity, seed, batch, output,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var modelDir = parse.GetValue(model)!;
            var cohort = Manifest.Load(parse.GetValue(manifest)!);
            var splitName = parse.GetValue(split)!;
            var entries = cohort.Entries.Where(e => splitName == "all" || e.Split == splitName).ToList();
            var (merlin, _) = AdapterFolder.LoadForInference(modelDir, parse.GetValue(adapter));
            using (merlin)
            {
                using var tokenizer = ModelFolder.LoadTokenizer(modelDir);
                var scans = new ScanSource(cohort, parse.GetValue(cache) is { } c ? new ScanCache(c) : null, logger: context.Logger);
                var bar = context.Progress("embed", context.Interactive);
                var summary = EmbeddingAnalysis.Run(new EmbeddingExtractor(merlin, tokenizer, scans), cohort, entries, parse.GetValue(output)!,
                    new Tsne(Perplexity: parse.GetValue(perplexity), Seed: parse.GetValue(seed)), Math.Max(1, parse.GetValue(batch)),
                    new Reporter<(int Done, int Total)>(p => bar.Update(p.Done, p.Total)), context.Cancel);
                context.Output.WriteLine($"embed: {summary.N} studies; matched image–report cosine {summary.MatchedCosine:0.000} " +
                                         $"(unmatched {summary.UnmatchedCosine:0.000}) → {Path.GetFullPath(parse.GetValue(output)!)}");
            }
            return 0;
        }));
        return command;
    }
}
