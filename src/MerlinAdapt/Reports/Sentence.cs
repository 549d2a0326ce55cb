namespace MerlinAdapt.Reports;

/// <summary>
/// One sentence of a report section, as written (whitespace collapsed, list number removed, a closing period added
/// where the report left it out). <paramref name="StartsLine"/> tells whether the report began it on a new line,
/// which is how templated reports mark an organ header's reach.
/// </summary>
public sealed record Sentence(string Text, bool StartsLine);
