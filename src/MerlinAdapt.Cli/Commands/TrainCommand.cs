using System.CommandLine;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`train`: contrastive fine-tuning into a run folder; `--resume RUN` continues a run exactly.</summary>
internal static class TrainCommand
{
    public static Command Create(CliContext context)
    {
        var training = new TrainingCliOptions();
        var output = new Option<string?>("--out") { Description = "new run folder", HelpName = "RUN" };
        var resume = new Option<string?>("--resume") { Description = "continue this run folder exactly where it stopped", HelpName = "RUN" };
        var command = new Command("train", "Contrastive CT–report fine-tuning (any adaptation mode) into a run folder: metrics.csv, checkpoints/last and best, loss curve. Ctrl-C stops after the current step and keeps everything.");
        training.AddTo(command);
        command.Options.Add(output);
        command.Options.Add(resume);
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            training.ApplyRuntime(parse);
            RunFolder run;
            RunConfig config;
            var resuming = parse.GetValue(resume) is not null;
            if (resuming)
            {
                run = new RunFolder(parse.GetValue(resume)!);
                config = run.ReadConfig();
            }
            else
            {
                var outDir = parse.GetValue(output) ?? throw new InputException("--out", "give a new run folder (--out RUN) or a run to continue (--resume RUN)");
                var manifestPath = training.RequireManifest(parse);
                (run, config) = TrainingRun.Create(outDir, training.Source(parse), manifestPath, parse.GetValue(training.Cache), parse.GetValue(training.Reports),
                    training.Read(parse), parse.GetValue(training.Phenotypes));
            }
            var summary = Run(context, run, config, resuming);
            context.Output.WriteLine($"train: {summary.StopReason}; best validation F1 {summary.BestF1:0.000} {(summary.BestEpoch == TrainerState.StartEpoch ? "before training (the starting model is checkpoints/best)" : $"at epoch {summary.BestEpoch + 1}")} → {summary.RunDirectory}");
            if (summary.Interrupted) context.Output.WriteLine($"train: continue with: merlin-adapt train --resume {summary.RunDirectory}");
            context.Output.WriteLine($"train: report {HtmlReport.Write(summary.RunDirectory)}");
            return 0;
        }));
        return command;
    }

    internal static TrainingSummary Run(CliContext context, RunFolder run, RunConfig config, bool resuming)
    {
        var bar = context.Progress("train", context.Interactive);
        return TrainingRun.Run(run, config, resuming, context.Logger, new Reporter<TrainingProgress>(p =>
        {
            if (p.StartDone is { } s)
                context.Error.WriteLine($"before training: val loss {s.ValLoss:0.0000}, val F1 {s.ValF1:0.000}, AUC {s.ValAuc:0.000}, τ {p.Temperature:0.0000}");
            else if (p.EpochDone is { } e)
                context.Error.WriteLine($"epoch {e.Epoch + 1}/{p.Epochs}: train loss {e.TrainLoss:0.0000}, val loss {e.ValLoss:0.0000}, val F1 {e.ValF1:0.000}, AUC {e.ValAuc:0.000}, τ {e.Temperature:0.0000}");
            else bar.Update(p.Epoch * p.StepsPerEpoch + p.Step, p.Epochs * p.StepsPerEpoch, $"epoch {p.Epoch + 1}, loss {p.Loss:0.000}, τ {p.Temperature:0.000}, lr {p.LearningRate:0.0e0}");
        }), context.Cancel);
    }
}
