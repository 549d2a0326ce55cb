using MerlinAdapt.Cohorts;
using MerlinAdapt.Volumes;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// Model-ready volumes for manifest entries: from a `prepare` cache when there is one (fast, exact to 0.03 HU),
/// otherwise preprocessed on the fly with the given settings.
/// </summary>
public sealed class ScanSource(Manifest manifest, ScanCache? cache, PreprocessingOptions? options = null, ILogger? logger = null)
{
    private readonly CtPreprocessor _preprocessor = new(options);
    private readonly VolumeLoader _loader = new(logger);
    private IReadOnlyDictionary<string, ScanCacheIndexEntry>? _index;

    private readonly Dictionary<string, ManifestEntry> _byStudy = manifest.Entries.ToDictionary(e => e.StudyId, StringComparer.Ordinal);

    /// <summary>The volume of a study of the manifest, by id.</summary>
    public Volume Get(string studyId) =>
        Get(_byStudy.TryGetValue(studyId, out var entry) ? entry : throw new InputException(manifest.Path, $"has no study {studyId}"));

    public Volume Get(ManifestEntry entry)
    {
        if (cache is not null)
        {
            _index ??= cache.ReadIndex();
            if (_index.TryGetValue(entry.StudyId, out var cached) && cache.Contains(cached.Key)) return cache.Load(cached.Key);
        }
        var scan = _loader.Load(manifest.ImagePath(entry), new VolumeLoadOptions { RequireSingleVolume = true });
        return _preprocessor.Process(scan.Volume);
    }
}
