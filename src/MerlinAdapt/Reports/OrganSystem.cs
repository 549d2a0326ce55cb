namespace MerlinAdapt.Reports;

/// <summary>
/// One of Merlin's 13 organ systems for report decomposition (hcc-merlin-reference.md §3): the key used in
/// reports.jsonl, the header written in anatomy text, and the header spellings that name it in a report.
/// </summary>
/// <param name="Key">Merlin's canonical key in snake_case (report_generation_demo.py: "lower thorax" → lower_thorax).</param>
/// <param name="Header">The header of Merlin's demo report (demo.py), e.g. "Liver and biliary tree".</param>
/// <param name="HeaderSynonyms">Lower-case header spellings that name this system in a templated report.</param>
public sealed record OrganSystem(string Key, string Header, IReadOnlyList<string> HeaderSynonyms);
