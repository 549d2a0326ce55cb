using System.CommandLine;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`sweep`: the paper's Table 4 — every adaptation mode at every initial temperature, trained and evaluated.</summary>
internal static class SweepCommand
{
    public static Command Create(CliContext context)
    {
        var options = new ExperimentCliOptions(ExperimentPlan.Sweep, defaultModes: "full,peft", defaultSplit: "test");
        var temperatures = new Option<string>("--temperatures") { Description = "initial temperatures τ, comma-separated", DefaultValueFactory = _ => "0.07,0.5,1,10" };
        var command = new Command("sweep",
            "Temperature × mode grid (paper Table 4): trains every cell with the train options, evaluates its best checkpoint zero-shot " +
            "(default on the test split), writes results.csv, results.md (F1, recall, precision, accuracy, AUC with 95 % CIs, CosSim), " +
            "summary.md and plots. Rerunning it (or --resume DIR) skips finished cells and continues an interrupted one.");
        options.AddTo(command);
        command.Options.Add(temperatures);
        command.SetAction(parse => CliApp.Guard(context, () =>
            options.Run(context, parse, () => options.Plan(parse, ExperimentCliOptions.ParseTemperatures(parse.GetValue(temperatures)!, "--temperatures")))));
        return command;
    }
}
