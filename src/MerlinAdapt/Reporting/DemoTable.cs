using System.Globalization;
using System.Text;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Training;

namespace MerlinAdapt.Reporting;

/// <summary>The demo's comparison in the paper's Table 3 format, and the summary.md that explains it.</summary>
public static class DemoTable
{
    public static string Markdown(IReadOnlyList<DemoRow> rows)
    {
        var table = new StringBuilder(MetricsTable.Markdown(rows.Select(r => (r.Method, r.Metrics)), "method (hospital B, test split)"));
        table.AppendLine();
        table.AppendLine("| method | mode | trainable parameters | total parameters | CosSim |");
        table.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (var r in rows)
            table.AppendLine($"| {r.Method} | {r.Mode} | {(r.Mode == "frozen" ? "0" : N(r.TrainableParameters))} | {N(r.TotalParameters)} | " +
                             $"{(r.CosSim is { } c ? c.ToString("0.000", CultureInfo.InvariantCulture) : "n/a")} |");
        var first = rows[0].Metrics;
        table.AppendLine();
        table.AppendLine($"{first.N} scans of {first.NPatients} patients; 95 % CIs from {first.Resamples} patient-level bootstrap resamples. " +
                         "CosSim: mean cosine of matched image–report pairs.");
        return table.ToString();
    }

    public static string Summary(TwoHospitalDemoOptions options, IReadOnlyList<DemoRow> rows, IReadOnlyList<(string Stage, TimeSpan Time)> timings,
        EpochMetrics pretrained)
    {
        var text = new StringBuilder();
        text.AppendLine("# What the demo did");
        text.AppendLine();
        text.AppendLine($"A tiny Merlin-shaped model (ResNet-style 3-D image tower, Longformer text tower) was pretrained by CT–report contrastive " +
                        $"learning on synthetic hospital A ({options.PatientsA} patients), then evaluated zero-shot with the `hcc` prompts on hospital B " +
                        $"({options.PatientsB} patients: a lower iodine dose that leaves the liver 30 HU darker, noisier scans, thicker slices, a wider field of view, mostly RAS files, terse American reports), " +
                        "and adapted to B's training split without lesion labels, by PEFT and by full fine-tuning. " +
                        "Pretraining, like Merlin's, added phenotype labels (HCC, cirrhosis, fatty liver, cyst, haemangioma) on the image " +
                        $"tower's classifier head; its best epoch ({pretrained.Epoch + 1}), the pretrained model, reached validation zero-shot F1 {F(pretrained.ValF1)}, AUC {F(pretrained.ValAuc)} on hospital A. " +
                        "Adaptation to B uses reports only.");
        text.AppendLine();
        var baseline = rows.FirstOrDefault(r => r.Mode == "frozen");
        foreach (var r in rows.Where(r => r != baseline))
            text.AppendLine($"- {r.Method}: F1 {MetricsTable.Cell(r.Metrics.Metrics["f1"])}" +
                            (baseline is null ? "" : $" against {MetricsTable.Cell(baseline.Metrics.Metrics["f1"])} zero-shot") + r.BestEpoch switch
                            {
                                0 => "; no contrastive epoch beat the starting model on B's validation split, so the starting model is what was evaluated.",
                                { } e => $"; the checkpoint of epoch {e}, the best on B's validation split.",
                                null => ".",
                            });
        text.AppendLine();
        text.AppendLine("## Settings");
        text.AppendLine();
        text.AppendLine($"Scans prepared at {TwoHospitalDemo.Grid(options)} (Merlin's window −1000..1000 HU → 0..1).");
        text.AppendLine();
        text.AppendLine("| stage | mode | epochs (max) | batch | accumulation | learning rate | initial τ | phenotype weight | precise BN |");
        text.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (var (stage, o) in new[] { ("pretrain on A", options.Pretraining), ("adapt to B (PEFT)", options.Peft), ("adapt to B (full)", options.Full) })
            text.AppendLine($"| {stage} | {o.Mode.Name()} | {o.Epochs} | {o.BatchSize} | {o.Accumulation} | {o.EffectiveLearningRate.ToString("0.0e0", CultureInfo.InvariantCulture)} | " +
                            $"{(o.Temperature is { } t ? t.ToString(CultureInfo.InvariantCulture) : "the pretrained model's")} | {o.PhenotypeWeight} | {(o.PreciseBatchNorm ? "yes" : "no")} |");
        text.AppendLine();
        text.AppendLine("## Time");
        text.AppendLine();
        text.AppendLine("| stage | time |");
        text.AppendLine("| --- | --- |");
        foreach (var (stage, time) in timings) text.AppendLine($"| {stage} | {time.TotalSeconds:0} s |");
        text.AppendLine($"| total | {timings.Sum(t => t.Time.TotalSeconds):0} s |");
        return text.ToString();
    }

    private static string N(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double? v) => v is { } x ? x.ToString("0.000", CultureInfo.InvariantCulture) : "n/a";
}
