using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using CsvHelper;
using CsvHelper.Configuration.Attributes;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// Preprocessed scans on disk, one file per scan: <c>scans/&lt;key&gt;.nii.gz</c>, where the key is a hash of the input's
/// content, the preprocessing settings and <see cref="PipelineVersion"/> — so a rerun skips finished work and a
/// changed scan or setting is never served stale. Volumes in [0, 1] are stored as uint16 with scl_slope (2000 HU /
/// 65535 = 0.03 HU per step, 16 MiB uncompressed for 224×224×160, far less gzipped); anything holding NaN as float32.
/// Files are NIfTI so a user can open what the model sees; <c>index.csv</c> maps study ids to keys.
/// </summary>
public sealed class ScanCache
{
    /// <summary>Bump when preprocessing output changes for the same input and settings.</summary>
    public const string PipelineVersion = "merlin-monai-1.3/1";

    public const string IndexFile = "index.csv";

    public ScanCache(string directory)
    {
        Directory = System.IO.Path.GetFullPath(directory);
        System.IO.Directory.CreateDirectory(ScansDirectory);
    }

    public string Directory { get; }

    public string ScansDirectory => System.IO.Path.Combine(Directory, "scans");

    public string IndexPath => System.IO.Path.Combine(Directory, IndexFile);

    /// <summary>SHA-256 of a file, or of a DICOM folder's files (relative names and contents, in name order).</summary>
    public static string ContentHash(string path)
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 20];
        void Add(string file)
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
            int n;
            while ((n = stream.Read(buffer)) > 0) sha.AppendData(buffer, 0, n);
        }
        if (System.IO.Directory.Exists(path))
        {
            foreach (var file in System.IO.Directory.GetFiles(path, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                sha.AppendData(Encoding.UTF8.GetBytes(System.IO.Path.GetRelativePath(path, file) + "\0"));
                Add(file);
            }
        }
        else if (File.Exists(path)) Add(path);
        else throw new InputException(path, "no such file or folder");
        return Convert.ToHexStringLower(sha.GetHashAndReset());
    }

    public static string Key(string contentHash, PreprocessingOptions options, VolumeLoadOptions load)
    {
        var settings = JsonSerializer.Serialize(new
        {
            pipeline = PipelineVersion,
            content = contentHash,
            options,
            volume = load.VolumeIndex,
            allow_nan = load.AllowNan,
        });
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(settings)))[..32];
    }

    public string VolumePath(string key) => System.IO.Path.Combine(ScansDirectory, key + ".nii.gz");

    public string RecordPath(string key) => System.IO.Path.Combine(ScansDirectory, key + ".json");

    /// <summary>Written atomically, so its existence means the scan is complete.</summary>
    public bool Contains(string key) => File.Exists(VolumePath(key));

    public void Store(string key, Volume volume, ScanCacheRecord record)
    {
        NiftiWriter.Write(volume, VolumePath(key), StorageFormat(volume));
        AtomicFile.WriteAllText(RecordPath(key), JsonSerializer.Serialize(record, Json.Options));
    }

    public Volume Load(string key)
    {
        var path = VolumePath(key);
        if (!File.Exists(path)) throw new InputException(path, "cached scan is missing; run `merlin-adapt prepare` again");
        return NiftiReader.Read(path).Volume;
    }

    /// <summary>uint16 over the volume's own range when it is finite (always, for Merlin's 0..1 output); float32 otherwise.</summary>
    internal static NiftiWriteOptions StorageFormat(Volume volume)
    {
        float min = float.PositiveInfinity, max = float.NegativeInfinity;
        foreach (var v in volume.Voxels)
        {
            if (!float.IsFinite(v)) return new NiftiWriteOptions { Description = "MerlinAdapt cache (float32)" };
            if (v < min) min = v;
            if (v > max) max = v;
        }
        var range = Math.Max(max - min, 1e-6);
        return new NiftiWriteOptions
        {
            DataType = NiftiDataType.UInt16,
            Slope = range / 65535.0,
            Inter = min,
            Description = "MerlinAdapt cache (uint16)",
        };
    }

    /// <summary>Study id → key, as recorded by the last runs of `prepare` on this cache.</summary>
    public IReadOnlyDictionary<string, ScanCacheIndexEntry> ReadIndex()
    {
        var index = new Dictionary<string, ScanCacheIndexEntry>(StringComparer.Ordinal);
        if (!File.Exists(IndexPath)) return index;
        using var reader = new StreamReader(IndexPath);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        foreach (var row in csv.GetRecords<ScanCacheIndexEntry>()) index[row.StudyId] = row;
        return index;
    }

    /// <summary>Adds or replaces entries, keeping those of other manifests that share this cache.</summary>
    public void UpdateIndex(IEnumerable<ScanCacheIndexEntry> entries)
    {
        var index = new Dictionary<string, ScanCacheIndexEntry>(ReadIndex(), StringComparer.Ordinal);
        foreach (var e in entries) index[e.StudyId] = e;
        AtomicFile.Write(IndexPath, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            csv.WriteRecords(index.Values.OrderBy(e => e.StudyId, StringComparer.Ordinal));
        });
    }

    public Volume LoadStudy(string studyId)
    {
        if (!ReadIndex().TryGetValue(studyId, out var entry))
            throw new InputException(IndexPath, $"study {studyId} is not in the cache; run `merlin-adapt prepare` on its manifest");
        return Load(entry.Key);
    }
}

/// <summary>One row of the cache's index.csv.</summary>
public sealed record ScanCacheIndexEntry(
    [Name("study_id")][property: Name("study_id")] string StudyId,
    [Name("patient_id")][property: Name("patient_id")] string PatientId,
    [Name("key")][property: Name("key")] string Key,
    [Name("image")][property: Name("image")] string Image);

/// <summary>What the cache records beside each scan (scans/&lt;key&gt;.json), for people and for audits.</summary>
public sealed record ScanCacheRecord(
    string StudyId,
    string Source,
    string ContentSha256,
    string PipelineVersion,
    PreprocessingOptions Options,
    int[] InputShape,
    double[] InputSpacing,
    string InputOrientation,
    int[] OutputShape,
    IReadOnlyList<string> Warnings,
    DateTimeOffset Created);
