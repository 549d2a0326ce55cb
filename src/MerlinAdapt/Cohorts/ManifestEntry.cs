namespace MerlinAdapt.Cohorts;

/// <summary>
/// One row of a manifest (design.md, Formats): a study of a patient, its image (a NIfTI file or DICOM folder,
/// relative to the manifest), its report (a .txt path or the text itself), label, split and phase.
/// </summary>
public sealed record ManifestEntry
{
    public required string PatientId { get; init; }
    public required string StudyId { get; init; }
    public required string Image { get; init; }
    public string Report { get; init; } = "";
    public string Label { get; init; } = "";
    public string Split { get; init; } = "";
    public string Phase { get; init; } = "";

    /// <summary>The 1-based line of the CSV file the row came from (for error messages).</summary>
    public int Line { get; init; }

    /// <summary>Columns beyond the standard ones, kept so that rewriting a manifest loses nothing.</summary>
    public IReadOnlyDictionary<string, string> Extra { get; init; } = new Dictionary<string, string>();
}
