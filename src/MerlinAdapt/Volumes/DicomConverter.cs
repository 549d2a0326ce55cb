using System.Diagnostics;

namespace MerlinAdapt.Volumes;

/// <summary>
/// Converts a DICOM folder to NIfTI with dcm2niix (Debian package `dcm2niix`) into a temporary folder and picks the
/// series with the most slices, as Merlin's dataset did. No DICOM parsing of our own: dcm2niix handles vendors,
/// slice ordering, rescale slope/intercept and gantry tilt far better than a new parser would.
/// </summary>
public sealed class DicomConverter(string executable = "dcm2niix")
{
    public string Executable { get; } = executable;

    public bool IsAvailable() => FindOnPath(Executable) is not null;

    /// <summary>Converts <paramref name="directory"/> into <paramref name="workDirectory"/>; returns the chosen .nii file.</summary>
    public string ConvertLargestSeries(string directory, string workDirectory, CancellationToken cancel = default)
    {
        var exe = FindOnPath(Executable)
                  ?? throw new InputException(directory, "is a DICOM folder, but dcm2niix is not installed (Debian: apt-get install dcm2niix)");
        Directory.CreateDirectory(workDirectory);
        var start = new ProcessStartInfo(exe)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // -z n: no compression (faster; the file is temporary). -b n: no JSON sidecar. %s = series number.
        foreach (var arg in new[] { "-z", "n", "-b", "n", "-f", "series_%s", "-o", workDirectory, directory })
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start dcm2niix");
        var stdout = process.StandardOutput.ReadToEndAsync(cancel);
        var stderr = process.StandardError.ReadToEndAsync(cancel);
        process.WaitForExitAsync(cancel).GetAwaiter().GetResult();
        var output = stdout.Result + stderr.Result;

        var candidates = Directory.GetFiles(workDirectory, "*.nii");
        if (candidates.Length == 0)
        {
            var reason = output.Split('\n').Select(l => l.Trim()).LastOrDefault(l => l.Length > 0) ?? "no output";
            throw new InputException(directory, $"dcm2niix found no DICOM series ({reason})");
        }
        // Most slices first; then most voxels; then name, so the choice is deterministic.
        return candidates
            .Select(path => (path, header: NiftiReader.ReadHeader(path)))
            .OrderByDescending(c => c.header.Rank >= 3 ? c.header.Dim[3] : 1)
            .ThenByDescending(c => c.header.Dim.Skip(1).Take(Math.Max(c.header.Rank, 1)).Aggregate(1L, (a, b) => a * b))
            .ThenBy(c => c.path, StringComparer.Ordinal)
            .First().path;
    }

    private static string? FindOnPath(string executable)
    {
        if (executable.Contains('/')) return File.Exists(executable) ? executable : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, executable))
            .FirstOrDefault(File.Exists);
    }
}
