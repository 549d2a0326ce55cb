using System.CommandLine;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`ablate`: the paper's Table 7 — each PEFT pathway on its own for a fixed epoch budget, evaluated on the validation split.</summary>
internal static class AblateCommand
{
    /// <summary>The paper's Appendix E: each ablation run gets 10 epochs.</summary>
    private const int PaperEpochs = 10;

    public static Command Create(CliContext context)
    {
        var options = new ExperimentCliOptions(ExperimentPlan.Ablation, defaultModes: "frozen,text-lora,image-convlora,projections,peft", defaultSplit: "val");
        options.Training.Epochs.DefaultValueFactory = _ => PaperEpochs;
        options.Training.Temperature.Description = "initial τ of every cell (the paper ablates at its best PEFT setting, 1.0)";
        var command = new Command("ablate",
            "PEFT ablation (paper Table 7): the untrained baseline, text LoRA, image ConvLoRA, projections only and full PEFT, each trained " +
            "for a fixed epoch budget (default 10) and evaluated at its best checkpoint (default on the val split), with trainable and " +
            "total parameter counts. Rerunning it (or --resume DIR) skips finished cells and continues an interrupted one.");
        options.AddTo(command);
        command.Options.Add(options.Training.Temperature);
        command.SetAction(parse => CliApp.Guard(context, () =>
            options.Run(context, parse, () => options.Plan(parse, ExperimentCliOptions.ParseTemperatures(parse.GetValue(options.Training.Temperature)!, "--temperature")))));
        return command;
    }
}
