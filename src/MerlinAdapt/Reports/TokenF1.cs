namespace MerlinAdapt.Reports;

/// <summary>
/// Token-level F1 between two texts (SQuAD-style bag-of-words overlap): a cheap stand-in for the BERTScore check of
/// the paper's Appendix B, to say how far the LLM's structuring agrees with the rules'. Tokens are the word pieces
/// of Merlin's sanitiser (<see cref="ReportSanitizer"/>), punctuation left out, so case and list numbering do not count.
/// </summary>
public static class TokenF1
{
    /// <summary>1 for two empty texts, 0 when exactly one is empty, else 2·P·R/(P+R) over token counts.</summary>
    public static double Score(string a, string b)
    {
        var left = Tokens(a);
        var right = Tokens(b);
        if (left.Count == 0 && right.Count == 0) return 1;
        if (left.Count == 0 || right.Count == 0) return 0;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var token in left) counts[token] = counts.GetValueOrDefault(token) + 1;
        var common = 0;
        foreach (var token in right)
        {
            if (counts.GetValueOrDefault(token) <= 0) continue;
            counts[token]--;
            common++;
        }
        if (common == 0) return 0;
        var precision = (double)common / right.Count;
        var recall = (double)common / left.Count;
        return 2 * precision * recall / (precision + recall);
    }

    private static List<string> Tokens(string text) =>
        ReportSanitizer.Sanitize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(t => t.Any(char.IsLetterOrDigit)).ToList();
}
