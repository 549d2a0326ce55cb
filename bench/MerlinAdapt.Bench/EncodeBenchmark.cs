using System.Diagnostics;
using System.Text;
using System.Text.Json;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Bench;

/// <summary>
/// `encode`: the `merlin` image encoder on one 224×224×160 volume without gradients, and the text encoder at
/// 1024 tokens, on a fixed number of CPU threads; median seconds and achieved GFLOP/s (issue #3). Variants measure
/// the exact inference speed-ups: the folded stem, autograd off (no_grad vs inference_mode), BatchNorm folded into
/// the convolutions, and channels-last 3-D activations.
/// Reference: Merlin's official PyTorch code (torch 1.13, 2 threads) takes 21.7 s per volume here (61 GFLOP/s).
/// </summary>
internal static class EncodeBenchmark
{
    private const double TeraFlopUnfolded = 1.329; // merlin-model.md §7: 664.6 GMAC
    private const double TeraFlopFolded = 1.254;   // stem folded to one input channel: 18.9 instead of 56.7 GMAC

    public static void Run(int runs, int threads, string resultsDirectory)
    {
        set_num_threads(threads);
        manual_seed(0);
        var rows = new List<(string Variant, double Seconds, double Gflops)>();
        using (var image = new MerlinModel(ModelPresets.Merlin with { Text = null }))
        {
            image.eval();
            var net = image.Image.Network;
            using var volume = rand([1, 1, 224, 224, 160]);

            rows.Add(Measure("module, 3-channel stem (as Merlin), no_grad", runs, TeraFlopUnfolded, () =>
            {
                using var _ = no_grad();
                net.FoldedStem = false;
                using var f = net.call(volume);
            }));
            net.FoldedStem = true;
            rows.Add(Measure("module, folded stem, no_grad", runs, TeraFlopFolded, () =>
            {
                using var _ = no_grad();
                using var f = net.call(volume);
            }));
            rows.Add(Measure("module, folded stem, inference_mode", runs, TeraFlopFolded, () =>
            {
                using var _ = inference_mode();
                using var f = net.call(volume);
            }));
            using (var fused = new FusedI3ResNet(net, channelsLast: false))
                rows.Add(Measure("BN folded into convs + folded stem", runs, TeraFlopFolded, () => { using var f = fused.Forward(volume); }));
            using (var fusedLast = new FusedI3ResNet(net, channelsLast: true, foldedStem: false))
                rows.Add(Measure("BN folded + channels-last 3-D, 3-channel stem", runs, TeraFlopUnfolded, () => { using var f = fusedLast.Forward(volume); }));
            using (var fusedLast = new FusedI3ResNet(net, channelsLast: true))
                rows.Add(Measure("BN folded + channels-last 3-D + folded stem (what `encode` runs)", runs, TeraFlopFolded, () => { using var f = fusedLast.Forward(volume); }));
        }

        using (var textModel = new MerlinModel(ModelPresets.Merlin with { Image = null }))
        {
            textModel.eval();
            using var ids = randint(3, 50000, [1, 1024], dtype: int64);
            ids[0, 0] = tensor(0L);
            ids[0, 1023] = tensor(2L);
            using var mask = ones([1, 1024], dtype: int64);
            var text = Measure("text encoder, 1024 tokens, no_grad", runs, 0.212, () =>
            {
                using var _ = no_grad();
                using var f = textModel.EncodeText(ids, mask);
            });
            rows.Add(text);
        }

        var machine = MachineInfo.Current();
        var json = new
        {
            benchmark = "encode",
            threads,
            runs,
            image_input = new[] { 1, 1, 224, 224, 160 },
            tflop_per_volume = new { three_channel_stem = TeraFlopUnfolded, folded_stem = TeraFlopFolded },
            text_tokens = 1024,
            results = rows.Select(r => new { variant = r.Variant, median_seconds = r.Seconds, gflops = r.Gflops }),
            reference = new { merlin_pytorch_1_13_two_threads_seconds = 21.7, target_seconds = 12.0 },
            machine,
        };
        File.WriteAllText(Path.Combine(resultsDirectory, "encode.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        }));
        var md = new StringBuilder();
        md.AppendLine("# encode benchmark");
        md.AppendLine();
        md.AppendLine($"`merlin` image encoder, one 224×224×160 volume, and the text encoder at 1024 tokens; {threads} threads, median of {runs} runs " +
                      $"after a warm-up; random weights. {machine.Cpu}, {machine.LogicalCores} logical cores, {machine.Runtime}, {machine.When:yyyy-MM-dd}.");
        md.AppendLine();
        md.AppendLine("| variant | median s | GFLOP/s |");
        md.AppendLine("| --- | ---: | ---: |");
        foreach (var r in rows) md.AppendLine($"| {r.Variant} | {r.Seconds:0.00} | {r.Gflops:0} |");
        md.AppendLine();
        md.AppendLine("Reference: Merlin's official PyTorch code (torch 1.13, 2 threads) takes 21.7 s per volume on this machine kind (61 GFLOP/s); target ≤ 12 s.");
        File.WriteAllText(Path.Combine(resultsDirectory, "encode.md"), md.ToString());
        Console.WriteLine(md.ToString());
    }

    private static (string Variant, double Seconds, double Gflops) Measure(string variant, int runs, double teraFlop, Action action)
    {
        action(); // warm-up: oneDNN primitive creation, allocator
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            var clock = Stopwatch.StartNew();
            action();
            times.Add(clock.Elapsed.TotalSeconds);
        }
        var median = Statistics.Median(times);
        Console.Error.WriteLine($"bench: {variant}: {string.Join(", ", times.Select(t => t.ToString("0.00")))} s");
        return (variant, median, teraFlop * 1000 / median);
    }
}
