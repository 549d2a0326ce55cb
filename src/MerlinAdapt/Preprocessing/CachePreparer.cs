using System.Diagnostics;
using System.Globalization;
using CsvHelper;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Volumes;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// `prepare`: every scan of a manifest through <see cref="CtPreprocessor"/> into a <see cref="ScanCache"/>, several at
/// once. Cached scans are skipped; a scan that fails is recorded in failures.csv (rewritten atomically after each
/// failure) and the run carries on; every finished scan is on disk the moment it is done, so an interrupted run
/// loses nothing. Cancellation stops starting new scans and lets running ones finish.
/// </summary>
public sealed class CachePreparer(ScanCache cache, PrepareOptions options, ILogger? logger = null)
{
    public const string FailuresFile = "failures.csv";

    public PrepareSummary Run(Manifest manifest, IProgress<PrepareProgress>? progress = null, CancellationToken cancel = default)
    {
        var stopwatch = Stopwatch.StartNew();
        var preprocessor = new CtPreprocessor(options.Preprocessing);
        var load = options.Load with { RequireSingleVolume = true };
        var loader = new VolumeLoader(logger);
        var failuresPath = Path.Combine(cache.Directory, FailuresFile);
        var failures = new List<PrepareFailure>();
        var indexed = new List<ScanCacheIndexEntry>();
        int done = 0, prepared = 0, skipped = 0;
        var total = manifest.Entries.Count;
        WriteFailures(failuresPath, failures);

        void Finish(ManifestEntry entry, Action count)
        {
            lock (failures)
            {
                count();
                done++;
                progress?.Report(new PrepareProgress(done, total, prepared, skipped, failures.Count, entry.StudyId));
            }
        }

        var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Jobs) };
        try
        {
            Parallel.ForEach(manifest.Entries, parallel, (entry, state) =>
            {
                if (cancel.IsCancellationRequested) { state.Stop(); return; }
                var image = manifest.ImagePath(entry);
                try
                {
                    var hash = ScanCache.ContentHash(image);
                    var key = ScanCache.Key(hash, options.Preprocessing, load);
                    var cached = cache.Contains(key);
                    if (!cached) PrepareOne(entry, image, hash, key, preprocessor, loader, load);
                    lock (failures) indexed.Add(new ScanCacheIndexEntry(entry.StudyId, entry.PatientId, key, image));
                    Finish(entry, () => { if (cached) skipped++; else prepared++; });
                }
                catch (Exception e) when (e is InputException or IOException or UnauthorizedAccessException or InvalidDataException)
                {
                    Fail(entry, image, e is InputException ? e.Message : $"{image}: {e.Message}");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    // A bug must not sink a batch of hundreds of scans: record it with its type and go on.
                    logger?.LogError(e, "internal error while preparing {Study}", entry.StudyId);
                    Fail(entry, image, $"internal error ({e.GetType().Name}: {e.Message})");
                }
            });
        }
        finally
        {
            lock (failures) cache.UpdateIndex(indexed);
        }

        void Fail(ManifestEntry entry, string image, string error)
        {
            Finish(entry, () =>
            {
                failures.Add(new PrepareFailure(entry.StudyId, image, error.ReplaceLineEndings(" ")));
                WriteFailures(failuresPath, failures);
            });
            logger?.LogWarning("{Study}: {Error}", entry.StudyId, error);
        }

        return new PrepareSummary(total, prepared, skipped, failures.Count, cancel.IsCancellationRequested && done < total,
            stopwatch.Elapsed, cache.IndexPath, failuresPath, failures.ToList());
    }

    private void PrepareOne(ManifestEntry entry, string image, string contentHash, string key, CtPreprocessor preprocessor, VolumeLoader loader, VolumeLoadOptions load)
    {
        var scan = loader.Load(image, load);
        var output = preprocessor.Process(scan.Volume);
        var record = new ScanCacheRecord(entry.StudyId, image, contentHash, ScanCache.PipelineVersion,
            options.Preprocessing, scan.Volume.Shape, scan.Volume.Spacing, RasOrientation.AxisLetters(scan.Volume.Affine),
            output.Shape, scan.Warnings, DateTimeOffset.UtcNow);
        cache.Store(key, output, record);
    }

    private static void WriteFailures(string path, IReadOnlyList<PrepareFailure> failures)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteField("study_id"); csv.WriteField("image"); csv.WriteField("error");
            csv.NextRecord();
            foreach (var f in failures)
            {
                csv.WriteField(f.StudyId); csv.WriteField(f.Image); csv.WriteField(f.Error);
                csv.NextRecord();
            }
        });
    }
}
