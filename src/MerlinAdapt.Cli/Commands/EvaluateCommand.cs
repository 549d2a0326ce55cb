using System.CommandLine;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`evaluate`: zero-shot classification of a manifest split with a prompt set, metrics with 95 % CIs.</summary>
internal static class EvaluateCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "model folder", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "adapter folder trained on --model", HelpName = "DIR" };
        var manifest = new Option<string>("--manifest") { Description = "labelled manifest (labels are prompt-set class names)", Required = true, HelpName = "M" };
        var split = new Option<string>("--split") { Description = "train, val, test, or all", DefaultValueFactory = _ => "test" };
        var prompts = new Option<string>("--prompts") { Description = $"prompt set: {string.Join(", ", PromptSet.BuiltIn)}, or a JSON file", DefaultValueFactory = _ => "hcc" };
        var cache = new Option<string?>("--cache") { Description = "preprocessed scans from `prepare` (otherwise preprocessed on the fly)", HelpName = "DIR" };
        var aggregation = new Option<string>("--aggregation") { Description = "mean-similarity (the paper) or mean-embedding (open_clip)", DefaultValueFactory = _ => "mean-similarity" }
            .AcceptOnlyFromAmong("mean-similarity", "mean-embedding");
        var resamples = new Option<int>("--resamples") { Description = "bootstrap resamples (patients) for the 95 % CIs", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 42 };
        var retrieval = new Option<bool>("--retrieval") { Description = "also image↔report retrieval Recall@1/@5 on the split" };
        var batch = new Option<int>("--batch-size") { Description = "volumes per forward pass", DefaultValueFactory = _ => 2 };
        var output = new Option<string>("--out") { Description = "output folder", Required = true, HelpName = "DIR" };
        var command = new Command("evaluate",
            "Zero-shot classification of a manifest split: predictions.csv, metrics.json with 95 % patient-level bootstrap CIs, metrics.md, roc.png, confusion.png.")
        {
            model, adapter, manifest, split, prompts, cache, aggregation, resamples, seed, retrieval, batch, output,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var modelDir = parse.GetValue(model)!;
            var adapterDir = parse.GetValue(adapter);
            var promptSet = PromptSet.Load(parse.GetValue(prompts)!);
            var cohort = Manifest.Load(parse.GetValue(manifest)!);
            if (parse.GetValue(resamples) < 1) throw new InputException("--resamples", "must be at least 1");
            var bar = context.Progress("evaluate", context.Interactive);
            var result = ModelEvaluation.Run(modelDir, adapterDir, cohort, parse.GetValue(split)!, promptSet,
                parse.GetValue(cache) is { } c ? new ScanCache(c) : null,
                new EvaluationOptions
                {
                    Aggregation = parse.GetValue(aggregation) == "mean-embedding" ? PromptAggregation.MeanEmbedding : PromptAggregation.MeanSimilarity,
                    Resamples = parse.GetValue(resamples),
                    Seed = parse.GetValue(seed),
                    Retrieval = parse.GetValue(retrieval),
                    BatchSize = Math.Max(1, parse.GetValue(batch)),
                },
                context.Logger, new Reporter<(int Done, int Total)>(p => bar.Update(p.Done, p.Total)), context.Cancel);
            var outDir = parse.GetValue(output)!;
            var name = adapterDir is null ? Path.GetFileName(Path.GetFullPath(modelDir)) : Path.GetFileName(Path.GetFullPath(adapterDir));
            EvaluationOutputs.Write(outDir, name, result.Metrics, promptSet.Negative, promptSet.Positive, result.Predictions, promptSet.ClassNames);
            context.Output.Write(File.ReadAllText(Path.Combine(outDir, "metrics.md")));
            context.Output.WriteLine($"evaluate: {result.Predictions.Count} {result.Split} scans → {Path.GetFullPath(outDir)}");
            context.Output.WriteLine($"evaluate: report {HtmlReport.Write(outDir, $"MerlinAdapt evaluation: {name} on {result.Split}")}");
            return 0;
        }));
        return command;
    }
}
