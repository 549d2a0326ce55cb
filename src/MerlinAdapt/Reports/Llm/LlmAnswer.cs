namespace MerlinAdapt.Reports.Llm;

/// <summary>What the model made of one report, validated: its sections and their organ decomposition. Cached as is.</summary>
public sealed record LlmAnswer(ReportSections Sections, SectionAnatomy Findings, SectionAnatomy Impression)
{
    public StructuredReport ToReport(string studyId) => StructuredReport.Create(studyId, Sections, Findings, Impression, ReportSource.Llm);
}
