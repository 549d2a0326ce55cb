using MerlinAdapt.Evaluation;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Reporting;

/// <summary>
/// A run folder as `train` and `evaluate` leave it: config.json naming a manifest, metrics.csv, plots/loss.png,
/// summary.md, checkpoints/ and base/ (never reported) and an evaluation sub-folder written by EvaluationOutputs
/// with a seeded metrics report. Three PNGs are reportable: plots/loss.png, eval/roc.png, eval/confusion.png.
/// </summary>
internal static class SampleRunFolder
{
    public const int ReportablePngs = 3;

    /// <summary>9 scans of 7 patients: train 2 HCC (p0, p1) + 2 negative (p0, p2); val 2 HCC (p3); test 1 negative (p4) + 1 HCC (p5); one unassigned, unlabelled (p6).</summary>
    public static string WriteManifest(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllLines(path,
        [
            "patient_id,study_id,image,report,label,split",
            "p0,s0,scans/s0.nii.gz,r,HCC,train", "p0,s1,scans/s1.nii.gz,r,negative,train", "p1,s2,scans/s2.nii.gz,r,HCC,train",
            "p2,s3,scans/s3.nii.gz,r,negative,train", "p3,s4,scans/s4.nii.gz,r,HCC,val", "p3,s5,scans/s5.nii.gz,r,HCC,val",
            "p4,s6,scans/s6.nii.gz,r,negative,test", "p5,s7,scans/s7.nii.gz,r,HCC,test", "p6,s8,scans/s8.nii.gz,r,,",
        ]);
        return path;
    }

    public static string Write(string root)
    {
        var manifest = WriteManifest(Path.Combine(root, "cohort", "manifest.csv"));
        var run = new RunFolder(Path.Combine(root, "run"));
        run.WriteConfig(new RunConfig
        {
            Options = new TrainingOptions { Epochs = 3, Temperature = 0.07 }, BaseModel = Path.Combine(run.Directory, "base"), BaseModelHash = "0123abcd",
            Manifest = manifest, Created = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero),
        });
        var epochs = new List<EpochMetrics>
        {
            new(0, 2.0794415416798357, 2.05, 0.5, 0.61, 0.07, 1e-4, 12.5, 3.2),
            new(1, 1.7, 1.9, 0.62, 0.7, 0.069, 9e-5, 12.4, 3.25),
            new(2, 1.3, double.NaN, double.NaN, double.NaN, 0.068, 5e-5, 12.6, 3.1),
        };
        run.WriteMetrics(epochs);
        run.Log("epoch 1 done");
        LossCurvePlot.Save(Path.Combine(run.PlotsDirectory, "loss.png"), epochs, "peft τ₀=0.07");
        File.WriteAllText(Path.Combine(run.Directory, "summary.md"),
            "Run **peft** on the sample cohort.\n\n| epoch | val F1 |\n| --- | --- |\n| 1 | 0.500 |\n| 2 | 0.620 |\n");
        Directory.CreateDirectory(run.Checkpoint("best"));
        File.WriteAllText(Path.Combine(run.Checkpoint("best"), "notes.md"), "CHECKPOINT-MARKER");
        LossCurvePlot.Save(Path.Combine(run.Checkpoint("best"), "ignored.png"), epochs, "never embedded");
        Directory.CreateDirectory(run.BaseDirectory);
        File.WriteAllText(Path.Combine(run.BaseDirectory, "model.json"), "{}");
        EvaluationOutputs.Write(Path.Combine(run.Directory, "eval"), "run", SeededMetrics(), "negative", "HCC");
        return run.Directory;
    }

    /// <summary>40 scans of 20 patients with scores that separate the classes imperfectly (seeded).</summary>
    public static MetricsReport SeededMetrics()
    {
        var random = new Random(7);
        var truth = Enumerable.Range(0, 40).Select(i => i % 2).ToList();
        var score = truth.Select(t => t + random.NextDouble() * 1.5 - 0.75).ToList();
        return MetricsReport.Compute(truth, score.Select(s => s > 0.5 ? 1 : 0).ToList(), score,
            Enumerable.Range(0, 40).Select(i => $"p{i / 2}").ToList(), resamples: 100, seed: 42);
    }
}
