using System.CommandLine;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Reporting;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`metrics`: the same metrics and CIs from any predictions CSV, to compare other models on equal terms.</summary>
internal static class MetricsCommand
{
    public static Command Create(CliContext context)
    {
        var predictions = new Option<string>("--predictions") { Description = "CSV with at least patient_id, label, score, prediction", Required = true, HelpName = "FILE.csv" };
        var output = new Option<string?>("--out") { Description = "metrics.json to write (metrics.md, roc.png and confusion.png beside it)", HelpName = "metrics.json" };
        var positive = new Option<string?>("--positive") { Description = "the positive class name, when label/prediction hold class names instead of 0/1", HelpName = "NAME" };
        var resamples = new Option<int>("--resamples") { Description = "bootstrap resamples (patients)", DefaultValueFactory = _ => 1000 };
        var seed = new Option<int>("--seed") { Description = "bootstrap seed", DefaultValueFactory = _ => 42 };
        var command = new Command("metrics", "F1, precision, recall, specificity, accuracy, balanced accuracy and ROC-AUC with 95 % patient-level bootstrap CIs from a predictions CSV.")
        {
            predictions, output, positive, resamples, seed,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            if (parse.GetValue(resamples) < 1) throw new InputException("--resamples", "must be at least 1");
            var rows = PredictionsFile.Read(parse.GetValue(predictions)!, parse.GetValue(positive));
            var report = MetricsReport.Compute(rows.Select(r => r.Label).ToList(), rows.Select(r => r.Prediction).ToList(),
                rows.Select(r => r.Score).ToList(), rows.Select(r => r.PatientId).ToList(), parse.GetValue(resamples), parse.GetValue(seed));
            var name = Path.GetFileNameWithoutExtension(parse.GetValue(predictions)!);
            context.Output.Write(MetricsTable.Markdown([(name, report)]));
            context.Output.WriteLine($"metrics: {report.N} rows, {report.NPatients} patients, {report.Resamples} resamples");
            if (parse.GetValue(output) is { } outPath)
            {
                var dir = Path.GetDirectoryName(Path.GetFullPath(outPath))!;
                EvaluationOutputs.Write(dir, name, report, "negative", parse.GetValue(positive) ?? "positive");
                if (Path.GetFileName(outPath) != "metrics.json") File.Move(Path.Combine(dir, "metrics.json"), Path.GetFullPath(outPath), overwrite: true);
            }
            return 0;
        }));
        return command;
    }
}
