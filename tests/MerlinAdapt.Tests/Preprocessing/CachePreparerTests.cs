using MerlinAdapt.Cohorts;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Preprocessing;

public sealed class CachePreparerTests : IDisposable
{
    private static readonly PreprocessingOptions Options = new() { Spacing = [6, 6, 10], Size = [64, 56, 32] };
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private Manifest SyntheticManifest(int scans, params string[] extraRows)
    {
        Directory.CreateDirectory(_temp.File("scans"));
        var lines = new List<string> { "patient_id,study_id,image,report,label" };
        for (var i = 0; i < scans; i++)
        {
            SyntheticCtGenerator.Write(new SyntheticScanSpec { Size = [40, 36, 20], Spacing = [8, 8, 12], Seed = i,
                Convention = i % 2 == 0 ? AxisConvention.Lps : AxisConvention.Ras }, _temp.File($"scans/s{i}.nii.gz"));
            lines.Add($"p{i / 2},s{i},scans/s{i}.nii.gz,report,negative");
        }
        lines.AddRange(extraRows);
        File.WriteAllLines(_temp.File("manifest.csv"), lines);
        return Manifest.Load(_temp.File("manifest.csv"));
    }

    [Fact]
    public void Run_CachesEveryGoodScan_RecordsFailures_AndCarriesOn()
    {
        var manifest = SyntheticManifest(3, "p9,broken,scans/missing.nii.gz,,", "p9,notnifti,manifest.csv,,");
        var cache = new ScanCache(_temp.File("cache"));
        var reports = new List<PrepareProgress>();

        var summary = new CachePreparer(cache, new PrepareOptions { Preprocessing = Options, Jobs = 2 })
            .Run(manifest, new SynchronousProgress<PrepareProgress>(reports.Add));

        Assert.Equal((5, 3, 0, 2), (summary.Total, summary.Prepared, summary.Skipped, summary.Failed));
        Assert.Equal(5, reports.Count);
        Assert.Equal(5, reports[^1].Done);
        var failures = File.ReadAllLines(summary.FailuresPath);
        Assert.Equal("study_id,image,error", failures[0]);
        Assert.Contains(failures, l => l.StartsWith("broken,") && l.Contains("no such file"));
        Assert.Contains(failures, l => l.StartsWith("notnifti,") && l.Contains("not a NIfTI file"));

        // Cached volumes equal a direct run of the pipeline within the storage quantisation (0.5 HU is the promise).
        var direct = new CtPreprocessor(Options).Process(new VolumeLoader().Load(_temp.File("scans/s1.nii.gz")).Volume);
        var cached = cache.LoadStudy("s1");
        Assert.Equal(direct.Affine.ToString(), cached.Affine.ToString());
        var worstHu = direct.Voxels.Zip(cached.Voxels, (a, b) => Math.Abs(a - b) * 2000.0).Max();
        Assert.True(worstHu <= 0.5, $"worst error {worstHu} HU");
        Assert.Equal(NiftiDataType.UInt16, NiftiReader.Read(cache.VolumePath(cache.ReadIndex()["s1"].Key)).DataType);
    }

    [Fact]
    public void Run_Again_SkipsFinishedScans_AndRedoesChangedOnes()
    {
        var manifest = SyntheticManifest(2);
        var cache = new ScanCache(_temp.File("cache"));
        var preparer = new CachePreparer(cache, new PrepareOptions { Preprocessing = Options, Jobs = 1 });
        preparer.Run(manifest);

        SyntheticCtGenerator.Write(new SyntheticScanSpec { Size = [40, 36, 20], Spacing = [8, 8, 12], Seed = 99 }, _temp.File("scans/s1.nii.gz"));
        var second = preparer.Run(manifest);

        Assert.Equal((1, 1, 0), (second.Skipped, second.Prepared, second.Failed));
        Assert.Equal(3, Directory.GetFiles(cache.ScansDirectory, "*.nii.gz").Length);
        var otherSettings = new CachePreparer(cache, new PrepareOptions { Preprocessing = Options with { Size = [32, 32, 16] } }).Run(manifest);
        Assert.Equal(2, otherSettings.Prepared);
    }

    [Fact]
    public void Run_Cancelled_KeepsWhatFinished()
    {
        var manifest = SyntheticManifest(4);
        var cache = new ScanCache(_temp.File("cache"));
        using var cancel = new CancellationTokenSource();

        var summary = new CachePreparer(cache, new PrepareOptions { Preprocessing = Options, Jobs = 1 })
            .Run(manifest, new SynchronousProgress<PrepareProgress>(p => { if (p.Done == 2) cancel.Cancel(); }), cancel.Token);

        Assert.True(summary.Cancelled);
        Assert.Equal(2, summary.Prepared);
        Assert.Equal(2, cache.ReadIndex().Count);
        var resumed = new CachePreparer(cache, new PrepareOptions { Preprocessing = Options }).Run(manifest);
        Assert.Equal((2, 2), (resumed.Skipped, resumed.Prepared));
    }

    [Fact]
    public void CompactStorage_OfMerlinSizedScan_FitsIn16MiB()
    {
        var volume = new Volume(Enumerable.Range(0, 224 * 224 * 160).Select(i => (i % 1000) / 999f).ToArray(), 224, 224, 160, Affine.Identity);
        var path = _temp.File("big.nii.gz");

        NiftiWriter.Write(volume, path, ScanCache.StorageFormat(volume));

        Assert.True(new FileInfo(path).Length <= 16 * 1024 * 1024);
        var read = NiftiReader.Read(path).Volume.Voxels;
        Assert.True(volume.Voxels.Zip(read, (a, b) => Math.Abs(a - b) * 2000.0).Max() <= 0.5);
    }
}

/// <summary>IProgress that reports on the caller's thread (Progress&lt;T&gt; posts to the thread pool, out of order).</summary>
internal sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    public void Report(T value) => report(value);
}
