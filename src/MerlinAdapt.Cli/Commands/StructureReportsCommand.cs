using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Reports;
using MerlinAdapt.Reports.Llm;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`structure-reports`: a manifest's reports into reports.jsonl, by rules or an LLM endpoint, with a summary.</summary>
internal static class StructureReportsCommand
{
    /// <summary>Read for a bearer key when the endpoint wants one; never taken from a flag, which would land in shell history.</summary>
    public const string ApiKeyVariable = "MERLIN_ADAPT_LLM_API_KEY";

    public static Command Create(CliContext context)
    {
        var manifest = new Option<string>("--manifest") { Description = "manifest.csv whose report column holds .txt paths or the text", Required = true, HelpName = "M" };
        var output = new Option<string>("--out") { Description = "reports.jsonl to write (atomically)", Required = true, HelpName = "reports.jsonl" };
        var llm = new Option<string?>("--llm")
        {
            Description = "OpenAI-compatible endpoint (vLLM, Ollama, llama.cpp server), e.g. http://127.0.0.1:8000/v1; default: rules only",
            HelpName = "URL",
        };
        var model = new Option<string?>("--llm-model") { Description = "model name on that endpoint (the paper: Qwen3-8B)", HelpName = "NAME" };
        var allowRemote = new Option<bool>("--allow-remote")
        {
            Description = "allow an --llm endpoint on another machine (reports carry patient information; default: this machine only)",
        };
        var cache = new Option<string?>("--cache") { Description = "folder of cached LLM answers (default: beside --out, NAME.llm-cache)", HelpName = "DIR" };
        var timeout = new Option<double>("--llm-timeout")
        {
            Description = "seconds per request",
            HelpName = "S",
            DefaultValueFactory = _ => LlmOptions.DefaultTimeout.TotalSeconds,
        };
        var attempts = new Option<int>("--llm-attempts")
        {
            Description = "tries per request when the endpoint times out, is unreachable or busy (back-off doubles from 2 s)",
            HelpName = "N",
            DefaultValueFactory = _ => LlmOptions.DefaultMaxAttempts,
        };
        var jobs = new Option<int>("--llm-jobs") { Description = "requests in flight at once (vLLM batches them; llama.cpp has one slot by default)", HelpName = "N", DefaultValueFactory = _ => 1 };
        var command = new Command("structure-reports",
            "Split each report into Clinical information / Findings / Impression and Merlin's 13 organ systems, and write " +
            "reports.jsonl for training's anatomy view. Rules by default (offline, deterministic); with --llm, a language " +
            "model does it and the rules stand in, recorded, wherever it fails. Report text is never logged.")
        {
            manifest, output, llm, model, allowRemote, cache, timeout, attempts, jobs,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var outPath = Path.GetFullPath(parse.GetValue(output)!);
            LlmOptions? llmOptions = null;
            if (parse.GetValue(llm) is { } url)
            {
                var endpoint = LlmEndpointPolicy.Check(url, parse.GetValue(allowRemote));
                if (string.IsNullOrWhiteSpace(parse.GetValue(model))) throw new InputException("--llm-model", "a model name is needed with --llm");
                if (parse.GetValue(timeout) <= 0) throw new InputException("--llm-timeout", "must be positive");
                if (parse.GetValue(attempts) < 1) throw new InputException("--llm-attempts", "must be at least 1");
                if (parse.GetValue(jobs) < 1) throw new InputException("--llm-jobs", "must be at least 1");
                llmOptions = new LlmOptions
                {
                    Endpoint = endpoint,
                    Model = parse.GetValue(model)!,
                    AllowRemote = parse.GetValue(allowRemote),
                    Timeout = TimeSpan.FromSeconds(parse.GetValue(timeout)),
                    MaxAttempts = parse.GetValue(attempts),
                    Jobs = parse.GetValue(jobs),
                    CacheDirectory = parse.GetValue(cache) ?? Path.Combine(Path.GetDirectoryName(outPath)!, Path.GetFileNameWithoutExtension(outPath) + ".llm-cache"),
                    ApiKey = Environment.GetEnvironmentVariable(ApiKeyVariable),
                };
            }
            else if (parse.GetValue(model) is not null)
            {
                throw new InputException("--llm-model", "needs --llm URL (the endpoint that serves the model)");
            }

            var cohort = Manifest.Load(parse.GetValue(manifest)!);
            var bar = context.Progress("structure-reports", context.Interactive);
            var summary = new ReportStructuring(llmOptions, context.Logger)
                .RunAsync(cohort, outPath, new Reporter<StructuringProgress>(p => bar.Update(p.Done, p.Total,
                    llmOptions is null ? null : $"{p.Llm} by the LLM ({p.Cached} cached), {p.Fallbacks} fell back")), context.Cancel)
                .GetAwaiter().GetResult();
            Print(context.Output, summary, outPath, llmOptions);
            return 0;
        }));
        return command;
    }

    private static void Print(TextWriter output, StructuringSummary summary, string outPath, LlmOptions? llm)
    {
        var n = summary.Total;
        output.WriteLine($"structure-reports: {n} reports → {outPath} in {ConsoleProgressBar.Format(summary.Elapsed)}" +
                         (summary.EmptyReports > 0 ? $" ({summary.EmptyReports} empty)" : ""));
        output.WriteLine("  sections found: " + string.Join(", ", summary.SectionsFound.Select(s => $"{s.Key.Replace('_', ' ')} {s.Value}/{n}")));
        output.WriteLine("  reports per organ: " + string.Join(", ", summary.ReportsPerOrgan.Select(o => $"{o.Key.Replace('_', ' ')} {o.Value}")));
        output.WriteLine($"  reports with sentences of no organ (kept under their section): {summary.ReportsWithUnplacedText}");
        if (llm is null)
        {
            output.WriteLine("  structured by: rules");
            return;
        }
        output.WriteLine($"  structured by: LLM {summary.ByLlm} ({summary.FromCache} from the cache), rules {summary.ByRules}");
        output.WriteLine($"  fall-backs to rules: {summary.FallbackCount}" +
                         (summary.FallbackCount > 0 ? " (" + string.Join("; ", summary.Fallbacks.Select(f => $"{f.Key}: {f.Value}")) + ")" : ""));
        if (summary.AgreementReports > 0)
        {
            output.WriteLine($"  agreement rules vs LLM (token F1, mean of {summary.AgreementReports} reports): " +
                             string.Join(", ", summary.Agreement.Select(a => $"{a.Key.Replace('_', ' ')} {a.Value.ToString("0.00", CultureInfo.InvariantCulture)}")));
        }
    }
}
