namespace MerlinAdapt.Bench;

/// <summary>
/// Benchmarks, each writing JSON and a Markdown table under bench/results/.
/// usage: dotnet run --project bench/MerlinAdapt.Bench -c Release -- preprocess [--runs N] | encode [--runs N] [--threads N] | train-step [--threads N] | tsne [--threads N]
/// </summary>
internal static class BenchApp
{
    public static int Run(string[] args)
    {
        var name = args.FirstOrDefault() ?? "preprocess";
        var runs = args.SkipWhile(a => a != "--runs").Skip(1).Select(int.Parse).FirstOrDefault(7);
        var results = Path.Combine(RepositoryRoot(), "bench", "results");
        Directory.CreateDirectory(results);
        switch (name)
        {
            case "preprocess":
                PreprocessBenchmark.Run(runs, results);
                return 0;
            case "encode":
                var threads = args.SkipWhile(a => a != "--threads").Skip(1).Select(int.Parse).FirstOrDefault(2);
                EncodeBenchmark.Run(args.Contains("--runs") ? runs : 3, threads, results);
                return 0;
            case "train-step":
                TrainStepBenchmark.Run(args.SkipWhile(a => a != "--threads").Skip(1).Select(int.Parse).FirstOrDefault(2), results);
                return 0;
            case "tsne":
                TsneBenchmark.Run(args.SkipWhile(a => a != "--threads").Skip(1).Select(int.Parse).FirstOrDefault(2), results);
                return 0;
            case "train-step-child":
                return TrainStepBenchmark.Child(int.Parse(args[1]), int.Parse(args[2]));
            default:
                Console.Error.WriteLine($"unknown benchmark '{name}' (available: preprocess, encode, train-step, tsne)");
                return 1;
        }
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "MerlinAdapt.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
