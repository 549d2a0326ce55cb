using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Analysis;
using MerlinAdapt.Reporting;
using static TorchSharp.torch;

namespace MerlinAdapt.Cli.Commands;

/// <summary>
/// `demo`: the README's main command — two synthetic hospitals, pretraining on A, zero-shot on B, adaptation to B with
/// PEFT and full fine-tuning, the Table-3 comparison with CIs and the HTML report. Nothing from outside the repository.
/// </summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context)
    {
        var output = new Option<string>("--out") { Description = "folder for the demo's files (a rerun continues an interrupted demo)", HelpName = "DIR", DefaultValueFactory = _ => "merlin-adapt-demo" };
        var quick = new Option<bool>("--quick") { Description = "small cohorts and one or two epochs: shows every stage in about a minute, not a result" };
        var seed = new Option<int>("--seed") { Description = "one seed for the cohorts, the splits and training", DefaultValueFactory = _ => 42 };
        var threads = new Option<int?>("--threads") { Description = "CPU threads (default: all cores)", HelpName = "N" };
        var command = new Command("demo",
            "Run the embedded demo end to end on synthetic data (no network, nothing from outside the repository): pretrain a tiny model on " +
            "hospital A, evaluate it zero-shot on hospital B, adapt it to B with PEFT and with full fine-tuning, compare with 95 % CIs, write an HTML report.")
        {
            output, quick, seed, threads,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            if (parse.GetValue(threads) is { } n) set_num_threads(n);
            var defaults = parse.GetValue(quick) ? TwoHospitalDemoOptions.Quick : new TwoHospitalDemoOptions();
            var options = defaults with { Seed = parse.GetValue(seed) };
            var root = Path.GetFullPath(parse.GetValue(output)!);
            context.Output.WriteLine($"demo: two synthetic hospitals → {root}{(parse.GetValue(quick) ? " (quick: a smoke run, not a result)" : "")}");
            context.Output.WriteLine($"demo: scans at {TwoHospitalDemo.Grid(options)}; {get_num_threads()} CPU threads");
            foreach (var (stage, o) in new[] { ("pretrain on A", options.Pretraining), ("adapt to B, peft", options.Peft), ("adapt to B, full", options.Full) })
                context.Output.WriteLine($"demo: {stage}: {o.Mode.ToString().ToLowerInvariant()}, up to {o.Epochs} epochs, batch {o.BatchSize} × {o.Accumulation}, " +
                                         $"lr {o.EffectiveLearningRate.ToString("0.0e0", CultureInfo.InvariantCulture)}, " +
                                         $"τ {(o.Temperature is { } t ? t.ToString(CultureInfo.InvariantCulture) : "as pretrained")}" +
                                         (o.PhenotypeWeight > 0 ? $", phenotype loss × {o.PhenotypeWeight.ToString(CultureInfo.InvariantCulture)}" : "") +
                                         (o.PreciseBatchNorm ? ", precise BatchNorm" : ""));
            ConsoleProgressBar? bar = null;
            var barStage = "";
            var result = TwoHospitalDemo.Run(root, options, context.Logger, new Reporter<DemoProgress>(p =>
            {
                if (p.Line is { } line)
                {
                    context.Output.WriteLine($"demo: {line}");
                    return;
                }
                if (bar is null || barStage != p.Stage)
                {
                    bar = context.Progress(p.Stage, context.Interactive);
                    barStage = p.Stage;
                }
                bar.Update(p.Done, p.Total, p.Detail);
            }), context.Cancel);
            if (result.Interrupted)
            {
                context.Output.WriteLine($"demo: interrupted; run the same command again to continue: merlin-adapt demo --out {root}{(parse.GetValue(quick) ? " --quick" : "")}");
                return 0;
            }
            context.Output.WriteLine();
            context.Output.Write(File.ReadAllText(result.ResultsPath));
            context.Output.WriteLine();
            context.Output.WriteLine($"demo: {string.Join(", ", result.Timings.Select(t => $"{t.Stage} {t.Time.TotalSeconds:0} s"))}; total {result.Timings.Sum(t => t.Time.TotalSeconds):0} s");
            context.Output.WriteLine($"demo: report {result.ReportPath}");
            return 0;
        }));
        return command;
    }
}
