using System.Text;
using System.Text.RegularExpressions;

namespace MerlinAdapt.Reports;

/// <summary>
/// Splits a free-text report into Clinical Information, Findings and Impression by its section headers, in their
/// common spellings (<see cref="SectionHeaders"/>), written on their own line or inline ("…normal. IMPRESSION: …",
/// as reports copied into one spreadsheet cell are). Text keeps its line breaks, which the sentence splitter reads.
/// </summary>
/// <remarks>
/// Reports without a Findings header are common, so the body is found in what is left: the text before the first
/// header and, after a Clinical/Technique/Comparison header, everything past its first paragraph. A report with no
/// header at all is all Findings, except a closing numbered list, which is how unheaded reports write the impression.
/// An all-capitals first line of a report that also has lower case (the exam title) belongs to no section.
/// </remarks>
public static class SectionExtractor
{
    // A header followed by a colon, at the start of a line or after a sentence's end.
    private static readonly Regex InlineHeader = new(
        @"(?:^|(?<=[.!?;]))[ \t]*[*#_]*[ \t]*(?<name>[A-Za-z][A-Za-z /&,-]{0,48}?)[ \t]*[*#_]*[ \t]*:(?!//)[*_]*",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    // A header alone on its line, without a colon ("FINDINGS").
    private static readonly Regex LineHeader = new(
        @"^[ \t]*[*#_]*[ \t]*(?<name>[A-Za-z][A-Za-z /&-]{0,48}?)[ \t]*[*#_]*[ \t]*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    private static readonly Regex ParagraphBreak = new(@"\n[ \t]*\n", RegexOptions.CultureInvariant);

    private static readonly Regex NumberedItem = new(@"^[ \t]*\d{1,2}[.)][ \t]+\S", RegexOptions.CultureInvariant);

    private static readonly Regex FirstItem = new(@"^[ \t]*1[.)][ \t]+\S", RegexOptions.CultureInvariant);

    public static ReportSections Extract(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var text = report.Replace("\r\n", "\n").Replace('\r', '\n');
        var headers = FindHeaders(text);
        var pieces = new Dictionary<SectionKind, List<string>>();
        void Add(SectionKind kind, string piece)
        {
            if (string.IsNullOrWhiteSpace(piece)) return;
            if (!pieces.TryGetValue(kind, out var list)) pieces[kind] = list = [];
            list.Add(piece.Trim());
        }

        var hasFindings = headers.Any(h => h.Kind == SectionKind.Findings);
        var body = new List<string>();
        var preamble = WithoutTitle(text[..(headers.Count > 0 ? headers[0].Start : text.Length)], text);
        if (hasFindings) Add(SectionKind.ClinicalInformation, preamble);
        else body.Add(preamble);

        for (var i = 0; i < headers.Count; i++)
        {
            var header = headers[i];
            var end = i + 1 < headers.Count ? headers[i + 1].Start : text.Length;
            var content = text[header.End..end];
            if (!hasFindings && header.Kind is SectionKind.ClinicalInformation or SectionKind.Technique or SectionKind.Comparison)
            {
                // No Findings header: the body is the paragraphs after this header's first one.
                var paragraph = ParagraphBreak.Match(content);
                if (paragraph.Success)
                {
                    body.Add(content[paragraph.Index..]);
                    content = content[..paragraph.Index];
                }
            }
            Add(header.Kind, content);
        }

        foreach (var piece in body) Add(SectionKind.Findings, piece);
        if (headers.Count == 0 && pieces.TryGetValue(SectionKind.Findings, out var findings))
        {
            var (rest, list) = SplitClosingList(string.Join("\n\n", findings));
            if (list.Length > 0 && rest.Trim().Length > 0)
            {
                pieces[SectionKind.Findings] = [rest.Trim()];
                Add(SectionKind.Impression, list);
            }
        }
        string Joined(SectionKind kind) => pieces.TryGetValue(kind, out var list) ? string.Join("\n\n", list) : "";
        return new ReportSections(Joined(SectionKind.ClinicalInformation), Joined(SectionKind.Findings), Joined(SectionKind.Impression));
    }

    private sealed record Header(int Start, int End, SectionKind Kind);

    private static List<Header> FindHeaders(string text)
    {
        var found = new List<Header>();
        foreach (Match match in InlineHeader.Matches(text))
        {
            if (SectionHeaders.Classify(match.Groups["name"].Value) is { } kind) found.Add(new Header(match.Index, match.Index + match.Length, kind));
        }
        foreach (Match match in LineHeader.Matches(text))
        {
            if (SectionHeaders.Classify(match.Groups["name"].Value) is { } kind) found.Add(new Header(match.Index, match.Index + match.Length, kind));
        }
        found.Sort((a, b) => a.Start.CompareTo(b.Start));
        var headers = new List<Header>();
        foreach (var header in found)
        {
            if (headers.Count > 0 && header.Start < headers[^1].End) continue;
            headers.Add(header);
        }
        return headers;
    }

    /// <summary>The text without its all-capitals title lines, when the report has lower case elsewhere.</summary>
    private static string WithoutTitle(string preamble, string report)
    {
        if (!report.Any(char.IsLower)) return preamble;
        var kept = new StringBuilder();
        var leading = true;
        foreach (var line in preamble.Split('\n'))
        {
            var trimmed = line.Trim();
            if (leading && (trimmed.Length == 0 || IsTitle(trimmed))) continue;
            leading = false;
            kept.Append(line).Append('\n');
        }
        return kept.ToString();
    }

    private static bool IsTitle(string line) =>
        line.Any(char.IsLetter) && !line.Any(char.IsLower) && !line.EndsWith('.');

    /// <summary>
    /// A closing numbered list ("1. …", "2. …", to the end; an item may wrap onto further lines) split from the text
    /// before it; ("text", "") when the text does not end with a list of two or more items.
    /// </summary>
    private static (string Before, string List) SplitClosingList(string text)
    {
        var lines = text.Split('\n');
        for (var start = 1; start < lines.Length; start++)
        {
            if (!FirstItem.IsMatch(lines[start])) continue;
            var items = 0;
            var afterBlank = false;
            var valid = true;
            for (var i = start; i < lines.Length && valid; i++)
            {
                if (lines[i].Trim().Length == 0) afterBlank = true;
                else if (NumberedItem.IsMatch(lines[i])) (items, afterBlank) = (items + 1, false);
                else valid = !afterBlank; // a wrapped item continues; a new paragraph ends the list
            }
            if (valid && items >= 2) return (string.Join('\n', lines[..start]), string.Join('\n', lines[start..]));
        }
        return (text, "");
    }
}
