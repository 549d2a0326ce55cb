using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Bench;

/// <summary>
/// `preprocess`: load + Merlin's full pipeline on a 512×512×200 int16 CT-like .nii.gz at 0.7×0.7×1.25 mm (LPS, as
/// dcm2niix writes real CT), the median of several runs after one warm-up, with the time split by stage.
/// Reference (issue #2): MONAI 1.3, 2 threads, 3.3 s per such scan on this machine kind; target ≤ 1 s.
/// </summary>
internal static class PreprocessBenchmark
{
    public static void Run(int runs, string resultsDirectory)
    {
        var input = Path.Combine(Path.GetTempPath(), "merlin-adapt-bench", "ct_512x512x200.nii.gz");
        if (!File.Exists(input))
        {
            Console.Error.WriteLine($"bench: writing the input scan {input} ...");
            Directory.CreateDirectory(Path.GetDirectoryName(input)!);
            SyntheticCtGenerator.Write(new SyntheticScanSpec
            {
                Size = [512, 512, 200],
                Spacing = [0.7, 0.7, 1.25],
                Convention = AxisConvention.Lps,
                NoiseHu = 15,
                Seed = 2026,
            }, input);
        }
        var preprocessor = new CtPreprocessor();
        var timings = new List<Dictionary<string, double>>();
        for (var run = 0; run <= runs; run++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
            var clock = Stopwatch.StartNew();
            var stage = new Dictionary<string, double>();
            var last = TimeSpan.Zero;
            void Mark(string name) { stage[name] = (clock.Elapsed - last).TotalSeconds; last = clock.Elapsed; }
            var volume = NiftiReader.Read(input).Volume;
            Mark("read_gunzip_decode");
            preprocessor.Process(volume, (s, _) => Mark(s switch
            {
                PreprocessingStage.Orientation => "orientation_ras",
                PreprocessingStage.Spacing => "resample_trilinear",
                _ => "window_pad_crop",
            }));
            stage["total"] = clock.Elapsed.TotalSeconds;
            if (run > 0) timings.Add(stage); // run 0 warms up the JIT
            Console.Error.WriteLine($"bench: run {run}{(run == 0 ? " (warm-up)" : "")}: {stage["total"]:0.000} s");
        }

        var keys = timings[0].Keys.ToList();
        var median = keys.ToDictionary(k => k, k => Statistics.Median(timings.Select(t => t[k])));
        var machine = MachineInfo.Current();
        var result = new
        {
            benchmark = "preprocess",
            input = new { shape = new[] { 512, 512, 200 }, dtype = "int16", spacing_mm = new[] { 0.7, 0.7, 1.25 }, orientation = "LPS", file_bytes = new FileInfo(input).Length },
            pipeline = "Merlin: RAS, 1.5x1.5x3 mm trilinear, HU -1000..1000 -> 0..1, pad/crop 224x224x160",
            runs,
            median_seconds = median,
            all_totals_seconds = timings.Select(t => t["total"]).ToArray(),
            reference = new { monai_1_3_two_threads_seconds = 3.3, target_seconds = 1.0 },
            machine,
        };
        File.WriteAllText(Path.Combine(resultsDirectory, "preprocess.json"),
            JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));

        var md = new StringBuilder();
        md.AppendLine("# preprocess benchmark");
        md.AppendLine();
        md.AppendLine($"512×512×200 int16 CT-like .nii.gz ({new FileInfo(input).Length / 1e6:0.0} MB, 0.7×0.7×1.25 mm, LPS) → Merlin's full pipeline; " +
                      $"median of {runs} runs after a warm-up. {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Runtime}, {machine.When:yyyy-MM-dd}.");
        md.AppendLine();
        md.AppendLine("| stage | median s |");
        md.AppendLine("| --- | ---: |");
        foreach (var k in keys) md.AppendLine($"| {k} | {median[k]:0.000} |");
        md.AppendLine();
        md.AppendLine("Reference: MONAI 1.3 (Merlin's pipeline) takes 3.3 s per such scan on this machine kind with 2 threads; target ≤ 1 s.");
        File.WriteAllText(Path.Combine(resultsDirectory, "preprocess.md"), md.ToString());
        Console.WriteLine(md.ToString());
    }
}
