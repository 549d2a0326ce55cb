using System.Globalization;
using System.Text;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;

namespace MerlinAdapt.Reporting;

/// <summary>
/// results.csv of a sweep or ablation: one row per cell in table order, with its status, training outcome (epochs,
/// 1-based best epoch, 0 for the starting model, last learned τ), each paper metric with its 95 % CI, CosSim, the parameter counts and the
/// error of a failed cell. Empty fields are unknown or undefined.
/// </summary>
public static class ExperimentResultsCsv
{
    public static readonly string[] Metrics = ["f1", "recall", "precision", "accuracy", "roc_auc"];

    public static string Header { get; } = "cell,mode,temperature,status,epochs,best_epoch,final_temperature," +
        string.Join(",", Metrics.Select(m => $"{m},{m}_lo,{m}_hi")) + ",cossim,trainable_params,total_params,error";

    public static void Write(string path, IReadOnlyList<CellResult> results) =>
        AtomicFile.WriteAllText(path, Header + "\n" + string.Concat(results.Select(r => Row(r) + "\n")));

    private static string Row(CellResult r)
    {
        var fields = new List<string>
        {
            r.Cell.Name, r.Cell.Options.Mode.Name(), D(r.Cell.Options.Temperature), r.Status.ToString().ToLowerInvariant(),
            r.Status == CellStatus.Done || r.Epochs > 0 ? r.Epochs.ToString(CultureInfo.InvariantCulture) : "",
            r.BestEpoch?.ToString(CultureInfo.InvariantCulture) ?? "", D(r.FinalTemperature),
        };
        foreach (var m in Metrics)
        {
            var value = r.Metrics?.Metrics.GetValueOrDefault(m);
            fields.AddRange([D(value?.Value), D(value?.Ci95[0]), D(value?.Ci95[1])]);
        }
        fields.AddRange([D(r.CosSim), r.TrainableParameters?.ToString(CultureInfo.InvariantCulture) ?? "",
            r.TotalParameters?.ToString(CultureInfo.InvariantCulture) ?? "", Quote(r.Error ?? "")]);
        return string.Join(",", fields);
    }

    private static string D(double? v) => v is { } x && double.IsFinite(x) ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Quote(string text)
    {
        text = text.Replace('\n', ' ').Replace('\r', ' ');
        return text.IndexOfAny([',', '"']) < 0 ? text : new StringBuilder("\"").Append(text.Replace("\"", "\"\"")).Append('"').ToString();
    }
}
