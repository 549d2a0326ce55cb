namespace MerlinAdapt.Reports;

/// <summary>
/// One study's report, structured: one line of reports.jsonl (design.md, Formats). <see cref="AnatomyText"/> is the
/// anatomy view that training alternates with the full report (hcc-merlin-reference.md §2: the `Anatomies` column),
/// in Merlin's "Header: sentences." style.
/// </summary>
public sealed record StructuredReport
{
    public required string StudyId { get; init; }
    public string ClinicalInformation { get; init; } = "";
    public string Findings { get; init; } = "";
    public string Impression { get; init; } = "";

    /// <summary>Text per organ system (<see cref="OrganSystem.Key"/>, Merlin's order): Findings' sentences, then Impression's.</summary>
    public IReadOnlyDictionary<string, string> Organs { get; init; } = new Dictionary<string, string>();

    /// <summary>Sentences of no organ system, by the section they came from ("findings", "impression").</summary>
    public IReadOnlyDictionary<string, string> Unplaced { get; init; } = new Dictionary<string, string>();

    /// <summary>"Liver and biliary tree: … Spleen: … Findings: … Impression: …" (the last two: <see cref="Unplaced"/>).</summary>
    public string AnatomyText { get; init; } = "";

    public ReportSource Source { get; init; } = ReportSource.Rules;

    /// <summary>Why the LLM's structuring was not used for this report, when it was asked and failed; else null.</summary>
    public string? Fallback { get; init; }

    /// <summary>Each organ system's text as "Header: text", in Merlin's order: the sections of report splitting.</summary>
    public IReadOnlyList<string> OrganSections() =>
        OrganSystems.All.Where(o => Organs.ContainsKey(o.Key)).Select(o => $"{o.Header}: {Organs[o.Key]}").ToList();

    /// <summary>A structured report from its sections and their decomposition: merges the organ texts and writes the anatomy text.</summary>
    public static StructuredReport Create(string studyId, ReportSections sections, SectionAnatomy findings, SectionAnatomy impression, ReportSource source)
    {
        var organs = new Dictionary<string, string>();
        var parts = new List<string>();
        foreach (var organ in OrganSystems.All)
        {
            var text = Join(findings.Organs.GetValueOrDefault(organ.Key), impression.Organs.GetValueOrDefault(organ.Key));
            if (text.Length == 0) continue;
            organs[organ.Key] = text;
            parts.Add($"{organ.Header}: {text}");
        }
        var unplaced = new Dictionary<string, string>();
        if (findings.Other.Trim().Length > 0) unplaced["findings"] = findings.Other.Trim();
        if (impression.Other.Trim().Length > 0) unplaced["impression"] = impression.Other.Trim();
        if (unplaced.TryGetValue("findings", out var f)) parts.Add($"Findings: {f}");
        if (unplaced.TryGetValue("impression", out var i)) parts.Add($"Impression: {i}");
        return new StructuredReport
        {
            StudyId = studyId,
            ClinicalInformation = sections.ClinicalInformation,
            Findings = sections.Findings,
            Impression = sections.Impression,
            Organs = organs,
            Unplaced = unplaced,
            AnatomyText = string.Join(' ', parts),
            Source = source,
        };
    }

    private static string Join(string? first, string? second) =>
        string.Join(' ', new[] { first, second }.Where(s => !string.IsNullOrWhiteSpace(s)).Select(s => s!.Trim()));
}
