namespace MerlinAdapt.Reports;

/// <summary>
/// The header spellings of English radiology reports and the section each introduces (issue 8: CLINICAL HISTORY /
/// INDICATION / CLINICAL INFORMATION, TECHNIQUE, COMPARISON, FINDINGS, IMPRESSION / CONCLUSION / OPINION, …).
/// Combined headers ("HISTORY/INDICATION", "CLINICAL HISTORY AND INDICATION") take the kind of their first known part.
/// </summary>
internal static class SectionHeaders
{
    private static readonly Dictionary<string, SectionKind> Names = Build(
        (SectionKind.ClinicalInformation,
        [
            "clinical history", "clinical information", "clinical info", "clinical indication", "clinical indications",
            "clinical details", "clinical data", "clinical notes", "clinical question", "clinical", "history", "hx",
            "indication", "indications", "indication for exam", "indication for examination", "indication for study",
            "reason for exam", "reason for examination", "reason for study", "reason for referral", "referral reason",
            "patient history", "medical history", "relevant history", "clinical background", "background",
        ]),
        (SectionKind.Technique,
        [
            "technique", "techniques", "protocol", "procedure", "exam", "examination", "study", "contrast",
            "ct technique", "imaging technique", "dose", "radiation dose", "exam type", "scan",
        ]),
        (SectionKind.Comparison,
        [
            "comparison", "comparisons", "prior", "priors", "prior study", "prior studies", "prior exam",
            "previous", "previous study", "previous studies", "comparison study", "comparison studies",
        ]),
        (SectionKind.Findings,
        [
            "findings", "finding", "ct findings", "description", "observations", "results", "report",
        ]),
        (SectionKind.Impression,
        [
            "impression", "impressions", "final impression", "ct impression", "conclusion", "conclusions", "opinion",
            "summary", "assessment", "diagnosis", "interpretation", "recommendation", "recommendations",
        ]),
        (SectionKind.Signature,
        [
            "signed", "signed by", "electronically signed by", "electronically signed", "dictated by", "dictated",
            "transcribed by", "reported by", "verified by", "attending radiologist", "radiologist", "attestation",
        ]));

    /// <summary>The kind a header names, or null when the text is not a section header.</summary>
    public static SectionKind? Classify(string header)
    {
        var normalized = Normalize(header);
        if (normalized.Length == 0) return null;
        if (Names.TryGetValue(normalized, out var kind)) return kind;
        foreach (var part in normalized.Split(['/', '&', ',']).SelectMany(p => p.Split(" and ")))
        {
            if (Names.TryGetValue(part.Trim(), out kind)) return kind;
        }
        return null;
    }

    private static string Normalize(string header) =>
        string.Join(' ', header.Trim().Trim('*', '#', '_').ToLowerInvariant().Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static Dictionary<string, SectionKind> Build(params (SectionKind Kind, string[] Names)[] groups)
    {
        var names = new Dictionary<string, SectionKind>(StringComparer.Ordinal);
        foreach (var (kind, list) in groups)
            foreach (var name in list) names.Add(name, kind);
        return names;
    }
}
