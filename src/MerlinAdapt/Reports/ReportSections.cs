namespace MerlinAdapt.Reports;

/// <summary>
/// A report split into the three sections the paper keeps (§2.2): Clinical Information, Findings and Impression.
/// An absent section is empty. Technique, comparison and signature lines belong to none of them.
/// </summary>
public sealed record ReportSections(string ClinicalInformation, string Findings, string Impression)
{
    public static ReportSections Empty { get; } = new("", "", "");
}
