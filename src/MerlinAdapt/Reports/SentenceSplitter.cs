using System.Text;
using System.Text.RegularExpressions;

namespace MerlinAdapt.Reports;

/// <summary>
/// Splits report text into sentences the way a radiologist wrote them. A period ends a sentence only when a space and
/// a new sentence follow, so decimals ("3.2 cm") never split; abbreviations ("e.g.", "i.e.", "approx.", "vs.",
/// "Dr.") and "No. 3" never end one; "s/p" has no period to split at. Line breaks end a sentence after closing
/// punctuation, a blank line, a list item or a "Header:" label, and otherwise are word wrap. Numbered items
/// ("1. …", "2) …", inline or on their own lines) become sentences without their numbers.
/// </summary>
public static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.Ordinal)
    {
        "e.g.", "i.e.", "eg.", "ie.", "vs.", "viz.", "cf.", "approx.", "apprx.", "appr.", "incl.", "resp.", "al.",
        "ca.", "dr.", "drs.", "mr.", "mrs.", "ms.", "prof.", "st.", "mult.", "est.", "max.", "min.", "sag.", "cor.", "ax.",
    };

    // Abbreviations only before a number ("No. 3", "Fig. 2", "seg. 7"); elsewhere they end sentences ("…fluid: no.").
    private static readonly HashSet<string> NumberAbbreviations = new(StringComparer.Ordinal)
    {
        "no.", "nos.", "nr.", "fig.", "figs.", "ref.", "vol.", "seg.", "segs.", "img.", "im.", "ser.", "p.", "pp.",
    };

    private static readonly Regex ListMarker = new(@"^[ \t]*(?:\(?\d{1,2}[.)]|[-•*·–]|\(?[a-zA-Z]\))[ \t]+", RegexOptions.CultureInvariant);

    private static readonly Regex InlineNumber = new(@"^\d{1,2}[.)][ \t]+", RegexOptions.CultureInvariant);

    private static readonly Regex Label = new(@"^[ \t]*[A-Za-z][A-Za-z ,/&()-]{0,40}:", RegexOptions.CultureInvariant);

    private static readonly Regex Initialism = new(@"^\(?(?:[a-z]\.){2,}$", RegexOptions.CultureInvariant);

    private static readonly Regex Spaces = new(@"\s+", RegexOptions.CultureInvariant);

    public static IReadOnlyList<Sentence> Split(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        // Reports written in lower case only start sentences in lower case, so a lower-case start may follow a period.
        var lowerCaseReport = !text.Any(char.IsUpper);
        var sentences = new List<Sentence>();
        foreach (var block in Blocks(text))
        {
            var first = true;
            foreach (var sentence in SplitBlock(block, lowerCaseReport))
            {
                sentences.Add(new Sentence(sentence, first));
                first = false;
            }
        }
        return sentences;
    }

    /// <summary>The sentences of a text joined by single spaces: the normalised form a section is stored in.</summary>
    public static string Normalize(string text) => string.Join(' ', Split(text).Select(s => s.Text));

    /// <summary>Runs of lines that belong together: a line joins the one before it unless something marks a new start.</summary>
    private static List<string> Blocks(string text)
    {
        var blocks = new List<string>();
        var current = new StringBuilder();
        void Close()
        {
            if (current.Length > 0) blocks.Add(current.ToString());
            current.Clear();
        }
        foreach (var raw in text.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                Close();
                continue;
            }
            var marker = ListMarker.Match(line);
            if (marker.Success)
            {
                Close();
                line = line[marker.Length..];
            }
            else if (Label.IsMatch(line) || (current.Length > 0 && ".!?:;".Contains(current[^1])))
            {
                Close();
            }
            if (current.Length > 0) current.Append(' ');
            current.Append(line);
        }
        Close();
        return blocks;
    }

    private static IEnumerable<string> SplitBlock(string block, bool lowerCaseReport)
    {
        var start = SkipNumber(block, 0);
        for (var i = start; i < block.Length; i++)
        {
            if (block[i] is not ('.' or '!' or '?')) continue;
            var end = i + 1;
            while (end < block.Length && block[end] is ')' or '"' or '\'' or ']') end++;
            if (end < block.Length && !char.IsWhiteSpace(block[end])) continue; // 3.2, s.p, e.g.liver
            var next = end;
            while (next < block.Length && char.IsWhiteSpace(block[next])) next++;
            if (next >= block.Length) break;
            if (!StartsSentence(block[next], lowerCaseReport) || IsAbbreviation(block, start, i, block[next])) continue;
            if (Finish(block[start..end]) is { } sentence) yield return sentence;
            start = SkipNumber(block, next);
            i = start - 1;
        }
        if (start < block.Length && Finish(block[start..]) is { } last) yield return last;
    }

    private static int SkipNumber(string block, int at)
    {
        var number = InlineNumber.Match(block[at..]);
        return number.Success ? at + number.Length : at;
    }

    private static bool StartsSentence(char next, bool lowerCaseReport) =>
        char.IsUpper(next) || char.IsDigit(next) || next is '(' or '[' or '"' or '\'' or '?' || (lowerCaseReport && char.IsLower(next));

    /// <summary>Whether the word that ends at the period <paramref name="period"/> is an abbreviation rather than a sentence end.</summary>
    private static bool IsAbbreviation(string block, int sentenceStart, int period, char next)
    {
        var wordStart = period;
        while (wordStart > sentenceStart && !char.IsWhiteSpace(block[wordStart - 1])) wordStart--;
        var word = block[wordStart..(period + 1)].ToLowerInvariant();
        if (block[period] != '.') return false;
        if (Abbreviations.Contains(word) || Initialism.IsMatch(word)) return true;
        return char.IsDigit(next) && NumberAbbreviations.Contains(word);
    }

    /// <summary>The sentence with its spaces collapsed and a closing period where the report left it out; null if empty.</summary>
    private static string? Finish(string sentence)
    {
        var text = Spaces.Replace(sentence, " ").Trim();
        if (text.Length == 0) return null;
        return text[^1] is '.' or '!' or '?' or ':' ? text : text + ".";
    }
}
