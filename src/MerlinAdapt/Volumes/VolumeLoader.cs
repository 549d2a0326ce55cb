using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Volumes;

/// <summary>
/// Loads a scan — a NIfTI file or a DICOM folder — and applies MerlinAdapt's input policies, each a one-line
/// <see cref="InputException"/> naming the file:
/// NaN/Inf voxels are refused unless allowed; a sheared or singular affine is refused (reorienting to RAS by flips
/// and transposes is exact only for an orthogonal grid, and such headers are usually damaged or gantry-tilted);
/// a multi-volume file is refused where one volume is needed, unless a volume index picks one.
/// </summary>
public sealed class VolumeLoader(ILogger? logger = null, DicomConverter? dicom = null)
{
    private readonly DicomConverter _dicom = dicom ?? new DicomConverter();

    public LoadedScan Load(string path, VolumeLoadOptions? options = null)
    {
        options ??= new VolumeLoadOptions();
        if (Directory.Exists(path)) return LoadDicom(path, options);
        if (!File.Exists(path)) throw new InputException(path, "no such file or folder");
        var image = NiftiReader.Read(path, logger);
        return Finish(path, image, null, options);
    }

    private LoadedScan LoadDicom(string directory, VolumeLoadOptions options)
    {
        var work = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"merlin-adapt-dicom-{Guid.NewGuid():N}");
        try
        {
            var nifti = _dicom.ConvertLargestSeries(directory, work);
            var image = NiftiReader.Read(nifti, logger);
            return Finish(directory, image, directory, options);
        }
        finally
        {
            try { Directory.Delete(work, recursive: true); }
            catch (IOException) { }
        }
    }

    private LoadedScan Finish(string path, NiftiImage image, string? convertedFrom, VolumeLoadOptions options)
    {
        var volume = image.Volume;
        var warnings = new List<string>(image.Warnings);
        CheckGeometry(path, volume.Affine, options.OrthogonalityTolerance);

        if (options.VolumeIndex is { } index)
        {
            if (index < 0 || index >= volume.Channels)
                throw new InputException(path, $"--volume {index} is out of range: the file holds {volume.Channels} volume(s), numbered 0–{volume.Channels - 1}");
            if (volume.Channels > 1) volume = volume.SelectChannel(index);
        }
        else if (options.RequireSingleVolume && volume.Channels > 1)
        {
            throw new InputException(path, $"holds {volume.Channels} volumes (4-D); the model takes one 3-D volume: pick one with --volume N (0–{volume.Channels - 1})");
        }

        if (!options.AllowNan && image.DataType is NiftiDataType.Float32 or NiftiDataType.Float64)
        {
            var bad = CountNonFinite(volume.Voxels);
            if (bad > 0)
                throw new InputException(path, $"{bad} voxel(s) are NaN or infinite (a CT with NaN is damaged); pass --allow-nan to carry them through as MONAI does");
        }
        else if (options.AllowNan && CountNonFinite(volume.Voxels) is > 0 and var n)
        {
            var message = $"{n} voxel(s) are NaN or infinite; carried through (--allow-nan)";
            warnings.Add(message);
            logger?.LogWarning("{File}: {Warning}", path, message);
        }
        return new LoadedScan(volume, path, convertedFrom is not null, warnings);
    }

    private static void CheckGeometry(string path, Affine affine, double tolerance)
    {
        var linear = affine.Linear();
        var norms = affine.Spacing();
        if (norms.Any(n => !(n > 0) || !double.IsFinite(n)) || !double.IsFinite(affine.Determinant()) || Math.Abs(affine.Determinant()) < 1e-12)
            throw new InputException(path, $"the voxel-to-world affine is singular or not finite ({affine}); the header is damaged");
        double worst = 0;
        for (var a = 0; a < 3; a++)
            for (var b = a + 1; b < 3; b++)
            {
                double dot = 0;
                for (var r = 0; r < 3; r++) dot += linear[r * 3 + a] * linear[r * 3 + b];
                worst = Math.Max(worst, Math.Abs(dot / (norms[a] * norms[b])));
            }
        if (worst > tolerance)
        {
            var degrees = 90 - Math.Acos(Math.Min(worst, 1)) * 180 / Math.PI;
            throw new InputException(path, $"the affine's direction columns are not orthogonal (sheared by {degrees:0.###}°, e.g. gantry tilt); " +
                                           "MerlinAdapt reorients by flips and transposes only: reslice the scan first (dcm2niix writes a tilt-corrected _Tilt_1 file)");
        }
    }

    private static long CountNonFinite(float[] voxels)
    {
        long count = 0;
        foreach (var v in voxels)
            if (!float.IsFinite(v)) count++;
        return count;
    }
}
