using System.Diagnostics;
using MerlinAdapt.Analysis;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Bench;

/// <summary>`tsne`: exact t-SNE of 3,000 points in 512-D (two classes), 1,000 iterations; issue #7 asks for under a minute.</summary>
internal static class TsneBenchmark
{
    public static void Run(int threads, string resultsDirectory)
    {
        set_num_threads(threads);
        var generator = new Generator(1);
        var data = cat([randn([1500, 512], generator: generator), randn([1500, 512], generator: generator) + 0.3], 0);
        var clock = Stopwatch.StartNew();
        using var y = new Tsne().Embed(data);
        var seconds = clock.Elapsed.TotalSeconds;
        var machine = MachineInfo.Current();
        var line = $"| exact t-SNE, 3,000 × 512 → 2, perplexity 30, 1,000 iterations, {threads} threads | {seconds:0.0} s | {machine.Cpu}, {machine.When:yyyy-MM-dd} |";
        File.WriteAllText(Path.Combine(resultsDirectory, "tsne.md"), "# tsne benchmark\n\n| what | time | machine |\n| --- | ---: | --- |\n" + line + "\n");
        Console.WriteLine(line);
    }
}
