namespace MerlinAdapt.Reports;

/// <summary>
/// The default structurer: offline and deterministic. Sections by their headers (<see cref="SectionExtractor"/>),
/// sentences (<see cref="SentenceSplitter"/>), organ systems by labels and lexicon (<see cref="AnatomyDecomposer"/>).
/// The sections are stored normalised: one sentence after another, list numbers dropped, each sentence closed.
/// </summary>
public static class RuleReportStructurer
{
    public static StructuredReport Structure(string studyId, string report)
    {
        ArgumentNullException.ThrowIfNull(studyId);
        ArgumentNullException.ThrowIfNull(report);
        var raw = SectionExtractor.Extract(report);
        var clinical = SentenceSplitter.Split(raw.ClinicalInformation);
        var findings = SentenceSplitter.Split(raw.Findings);
        var impression = SentenceSplitter.Split(raw.Impression);
        var sections = new ReportSections(Join(clinical), Join(findings), Join(impression));
        return StructuredReport.Create(studyId, sections, AnatomyDecomposer.Decompose(findings), AnatomyDecomposer.Decompose(impression), ReportSource.Rules);
    }

    private static string Join(IReadOnlyList<Sentence> sentences) => string.Join(' ', sentences.Select(s => s.Text));
}
