namespace MerlinAdapt.Cohorts;

/// <summary>A manifest entry's report: the `report` column names a .txt file (relative to the manifest) or is the text itself.</summary>
public static class ReportText
{
    public static string Of(Manifest manifest, ManifestEntry entry)
    {
        var value = entry.Report;
        if (value.Length == 0) return "";
        if (value.Length < 1024 && (value.EndsWith(".txt", StringComparison.OrdinalIgnoreCase) || !value.Contains(' ')))
        {
            var path = Path.GetFullPath(Path.Combine(manifest.Directory, value));
            if (File.Exists(path)) return File.ReadAllText(path);
            if (value.EndsWith(".txt", StringComparison.OrdinalIgnoreCase))
                throw new InputException(manifest.Path, $"line {entry.Line}: report file {value} not found");
        }
        return value;
    }
}
