using System.CommandLine;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`prepare`: every scan of a manifest into the cache, in parallel, with a progress bar and a failure list.</summary>
internal static class PrepareCommand
{
    public static Command Create(CliContext context)
    {
        var manifest = new Option<string>("--manifest") { Description = "manifest.csv (patient_id, study_id, image, …)", Required = true, HelpName = "M" };
        var output = new Option<string>("--out") { Description = "cache folder (created if needed; reruns skip finished scans)", Required = true, HelpName = "CACHE" };
        var jobs = new Option<int>("--jobs")
        {
            Description = "scans processed at once",
            HelpName = "N",
            DefaultValueFactory = _ => new PrepareOptions().Jobs,
        };
        var spacing = Options.Spacing();
        var size = Options.Size();
        var depth = Options.Depth();
        var allowNan = Options.AllowNan();
        var volume = Options.Volume();
        var command = new Command("prepare",
            "Preprocess every scan of a manifest into a cache: one compact file per scan, written atomically and keyed by " +
            "content and settings, so a rerun or an interrupted run loses nothing. Failed scans go to CACHE/failures.csv " +
            "and the rest carry on; the exit code is 1 when any scan failed.")
        {
            manifest, output, spacing, size, depth, jobs, allowNan, volume,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var cohort = Manifest.Load(parse.GetValue(manifest)!);
            var jobCount = parse.GetValue(jobs);
            if (jobCount < 1) throw new InputException("--jobs", $"must be at least 1, got {jobCount}");
            var options = new PrepareOptions
            {
                Preprocessing = Options.Preprocessing(parse, spacing, size, depth),
                Jobs = jobCount,
                Load = new VolumeLoadOptions { AllowNan = parse.GetValue(allowNan), VolumeIndex = parse.GetValue(volume) },
            };
            var cache = new ScanCache(parse.GetValue(output)!);
            var bar = context.Progress("prepare", context.Interactive);
            var summary = new CachePreparer(cache, options, context.Logger).Run(cohort,
                new Reporter<PrepareProgress>(p => bar.Update(p.Done, p.Total, $"{p.Skipped} cached, {p.Failed} failed")), context.Cancel);

            context.Output.WriteLine(
                $"prepare: {summary.Prepared} prepared, {summary.Skipped} already cached, {summary.Failed} failed, of {summary.Total} scans " +
                $"in {ConsoleProgressBar.Format(summary.Elapsed)} → {cache.Directory}");
            if (summary.Failed > 0) context.Output.WriteLine($"prepare: failures and their reasons are in {summary.FailuresPath}");
            if (summary.Cancelled)
            {
                context.Output.WriteLine("prepare: interrupted; finished scans are kept — run the same command again to continue");
                return 130;
            }
            return summary.Failed > 0 ? 1 : 0;
        }));
        return command;
    }
}
