using System.Diagnostics;
using System.Text.Json;
using MerlinAdapt.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Bench;

/// <summary>
/// `tsne`: t-SNE of 3,000 points in 512-D (two classes), 1,000 iterations, the method <see cref="Tsne"/> picks at that
/// size (Barnes–Hut, θ 0.5); issue #7 asks for under a minute. Records the load average too: the host's cores are shared.
/// </summary>
internal static class TsneBenchmark
{
    /// <summary>The exact method on the same input, 2 threads, AMD EPYC, 2026-11-28 (bench/results/tsne.md before Barnes–Hut).</summary>
    private const double ExactSeconds = 144.0;

    public static void Run(int threads, string resultsDirectory)
    {
        set_num_threads(threads);
        const int n = 3000;
        var generator = new Generator(1);
        var data = cat([randn([n / 2, 512], generator: generator), randn([n / 2, 512], generator: generator) + 0.3], 0);
        var tsne = new Tsne();
        var loadBefore = LoadAverage();
        var clock = Stopwatch.StartNew();
        using var y = tsne.Embed(data);
        var seconds = clock.Elapsed.TotalSeconds;
        var loadAfter = LoadAverage();
        var agreement = NeighbourAgreement(y, n / 2, 10);
        var machine = MachineInfo.Current();
        var method = tsne.MethodFor(n) == TsneMethod.BarnesHut ? $"Barnes–Hut t-SNE (θ {tsne.Theta})" : "exact t-SNE";

        File.WriteAllText(Path.Combine(resultsDirectory, "tsne.json"), JsonSerializer.Serialize(new
        {
            benchmark = "tsne",
            threads,
            points = n,
            dimensions = 512,
            method = tsne.MethodFor(n).ToString(),
            perplexity = tsne.Perplexity,
            iterations = tsne.Iterations,
            theta = tsne.Theta,
            seconds,
            ten_nn_class_agreement = agreement,
            load_average_1min = new { before = loadBefore, after = loadAfter },
            reference = new { exact_seconds = ExactSeconds, target_seconds = 60 },
            machine,
        }, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }));
        var line = $"| {method}, 3,000 × 512 → 2, perplexity {tsne.Perplexity}, {tsne.Iterations:N0} iterations, {threads} threads | {seconds:0.0} s | " +
                   $"{agreement:0.000} | {loadBefore:0.0} / {loadAfter:0.0} | {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.When:yyyy-MM-dd} |";
        File.WriteAllText(Path.Combine(resultsDirectory, "tsne.md"),
            "# tsne benchmark\n\n" +
            "Time of `Tsne.Embed` (affinities and 1,000 iterations) on two Gaussian classes; one run. The host's cores are shared, so the " +
            "1-minute load average before / after the run is recorded. 10-NN agreement: the fraction of each point's 10 nearest embedded " +
            "neighbours in its own class.\n\n" +
            "| what | time | 10-NN agreement | load | machine |\n| --- | ---: | ---: | ---: | --- |\n" + line + "\n\n" +
            $"Reference: the exact method took {ExactSeconds:0} s on the same input (2 threads, AMD EPYC, 2026-11-28); target < 60 s.\n");
        Console.WriteLine(line);
    }

    private static double LoadAverage()
    {
        try
        {
            return double.Parse(File.ReadAllText("/proc/loadavg").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return double.NaN;
        }
    }

    /// <summary>The mean fraction of each point's k nearest embedded neighbours from its own class (the first <paramref name="firstClass"/> rows are one class).</summary>
    private static double NeighbourAgreement(Tensor y, int firstClass, int k)
    {
        using var scope = NewDisposeScope();
        var n = (int)y.shape[0];
        var order = cdist(y, y).argsort(1).narrow(1, 1, k).contiguous().data<long>().ToArray();
        return Enumerable.Range(0, n).Average(i => order.Skip(i * k).Take(k).Count(j => (j < firstClass) == (i < firstClass)) / (double)k);
    }
}
