using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Reporting;

namespace MerlinAdapt.Cli;

/// <summary>
/// What sweep and ablate share on the command line: every train option, the grid's modes, the experiment folder
/// (--out, or --resume to continue one), the evaluation split and bootstrap resamples; and the console output of a
/// run (a bar per cell phase, one line per epoch and per finished cell, then the table).
/// </summary>
internal sealed class ExperimentCliOptions
{
    private readonly string _kind;

    public ExperimentCliOptions(string kind, string defaultModes, string defaultSplit)
    {
        _kind = kind;
        Modes = new Option<string>("--modes") { Description = $"adaptation modes, comma-separated ({string.Join(", ", AdaptationModes.Names)})", DefaultValueFactory = _ => defaultModes };
        EvalSplit = new Option<string>("--eval-split") { Description = "split each cell is evaluated on", DefaultValueFactory = _ => defaultSplit }
            .AcceptOnlyFromAmong("train", "val", "test", "all");
    }

    public TrainingCliOptions Training { get; } = new();
    public Option<string> Modes { get; }
    public Option<string> EvalSplit { get; }
    public Option<int> Resamples { get; } = new("--resamples") { Description = "bootstrap resamples (patients) for the 95 % CIs", DefaultValueFactory = _ => 1000 };
    public Option<string?> Output { get; } = new("--out") { Description = "experiment folder (rerunning the same command continues it)", HelpName = "DIR" };
    public Option<string?> Resume { get; } = new("--resume") { Description = "continue this experiment folder with its saved settings", HelpName = "DIR" };

    public void AddTo(Command command)
    {
        Training.AddTo(command, withMode: false);
        foreach (var option in new Option[] { Modes, EvalSplit, Resamples, Output, Resume }) command.Options.Add(option);
    }

    /// <summary>The plan the options ask for, with the given initial temperatures.</summary>
    public ExperimentPlan Plan(ParseResult parse, IReadOnlyList<double> temperatures) =>
        ExperimentPlan.Create(_kind, ParseModes(parse.GetValue(Modes)!), temperatures, Training.Read(parse), Training.Source(parse),
            Training.RequireManifest(parse), parse.GetValue(Training.Cache), parse.GetValue(Training.Reports), parse.GetValue(EvalSplit)!,
            parse.GetValue(Resamples));

    /// <summary>Runs (or continues) the experiment, prints progress and the table; exit 1 when a cell failed.</summary>
    public int Run(CliContext context, ParseResult parse, Func<ExperimentPlan> plan)
    {
        Training.ApplyRuntime(parse);
        var progress = new Reporter<CellProgress>(p => Report(context, p));
        ExperimentSummary summary;
        if (parse.GetValue(Resume) is { } resume) summary = Experiment.Resume(resume, _kind, context.Logger, progress, context.Cancel);
        else
        {
            var output = parse.GetValue(Output) ?? throw new InputException("--out", $"give a folder for the {_kind} (--out DIR), or one to continue (--resume DIR)");
            summary = Experiment.Run(output, plan(), context.Logger, progress, context.Cancel);
        }
        var name = _kind == ExperimentPlan.Ablation ? "ablate" : "sweep";
        context.Output.Write(File.ReadAllText(Path.Combine(summary.Directory, "results.md")));
        context.Output.WriteLine($"{name}: {summary.Count(CellStatus.Done)} of {summary.Cells.Count} cells done → {summary.Directory}");
        context.Output.WriteLine($"{name}: report {Path.Combine(summary.Directory, "report.html")}");
        if (summary.Interrupted) context.Output.WriteLine($"{name}: interrupted; continue with: merlin-adapt {name} --resume {summary.Directory}");
        var failed = summary.Cells.Where(c => c.Status == CellStatus.Failed).ToList();
        if (failed.Count == 0) return 0;
        context.Error.WriteLine($"merlin-adapt: {name}: {failed.Count} of {summary.Cells.Count} cells failed (first, {failed[0].Cell.Name}: {failed[0].Error}); " +
                                $"see {Path.Combine(summary.Directory, "results.csv")}, rerun to retry them");
        return 1;
    }

    private ConsoleProgressBar? _bar;
    private string _barLabel = "";

    private void Report(CliContext context, CellProgress p)
    {
        var tag = $"[{p.Index + 1}/{p.Count}] {p.Cell.Name}";
        switch (p.Phase)
        {
            case CellPhase.Skipped:
                context.Error.WriteLine($"{tag}: done in an earlier run, skipped");
                break;
            case CellPhase.Training when p.Training!.EpochDone is { } e:
                context.Error.WriteLine($"{tag} epoch {e.Epoch + 1}/{p.Training.Epochs}: train loss {e.TrainLoss:0.0000}, val loss {e.ValLoss:0.0000}, " +
                                        $"val F1 {e.ValF1:0.000}, AUC {e.ValAuc:0.000}, τ {e.Temperature:0.0000}");
                break;
            case CellPhase.Training:
                var t = p.Training!;
                Bar(context, $"{tag} train").Update(t.Epoch * t.StepsPerEpoch + t.Step, t.Epochs * t.StepsPerEpoch,
                    $"epoch {t.Epoch + 1}, loss {t.Loss:0.000}, τ {t.Temperature:0.000}");
                break;
            case CellPhase.Evaluating:
                Bar(context, $"{tag} evaluate").Update(p.Done, p.Total);
                break;
            case CellPhase.Finished:
                var r = p.Result!;
                context.Output.WriteLine(r.Status switch
                {
                    CellStatus.Done => $"{tag}: F1 {MetricsTable.Cell(r.Metrics!.Metrics["f1"])}, AUC {MetricsTable.Cell(r.Metrics.Metrics["roc_auc"])}, " +
                                       $"CosSim {r.CosSim?.ToString("0.000", CultureInfo.InvariantCulture) ?? "n/a"}",
                    CellStatus.Failed => $"{tag}: failed: {r.Error}",
                    _ => $"{tag}: {r.Status.ToString().ToLowerInvariant()}",
                });
                break;
        }
    }

    private ConsoleProgressBar Bar(CliContext context, string label)
    {
        if (_bar is null || _barLabel != label) (_bar, _barLabel) = (context.Progress(label, context.Interactive), label);
        return _bar;
    }

    /// <summary>Comma-separated positive temperatures ("0.07,0.5,1,10").</summary>
    public static IReadOnlyList<double> ParseTemperatures(string text, string option) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(t =>
            double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out var tau) && tau > 0 && double.IsFinite(tau) ? tau
            : throw new InputException(option, $"\"{t}\" is not a positive temperature (give e.g. 0.07,0.5,1,10)")).ToList();

    public static IReadOnlyList<AdaptationMode> ParseModes(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries).Select(m => AdaptationModes.Names.Contains(m) ? AdaptationModes.Parse(m)
            : throw new InputException("--modes", $"unknown adaptation mode \"{m}\" (available: {string.Join(", ", AdaptationModes.Names)})")).ToList();
}
