using System.Globalization;
using System.Text;
using MerlinAdapt.Reports;
using MerlinAdapt.Tests.Model.Tokenization;

namespace MerlinAdapt.Tests.Reports;

public sealed class ReportSanitizerTests
{
    /// <summary>sanitize_edge_cases.json: Python 3.11's output (and its pieces) for the Unicode cases a naive port gets wrong.</summary>
    [Fact]
    public void Sanitize_MatchesPython_OnEveryEdgeCase()
    {
        var cases = Fixtures.Json("tokenizer/sanitize_edge_cases.json").GetProperty("cases").EnumerateArray().ToList();
        Assert.NotEmpty(cases);
        var failures = new List<string>();
        foreach (var edge in cases)
        {
            var input = edge.GetProperty("input").GetString()!;
            var expected = edge.GetProperty("sanitized").GetString()!;
            var pieces = edge.GetProperty("pieces").EnumerateArray().Select(p => p.GetString()!).ToArray();
            var actual = ReportSanitizer.Sanitize(input);
            if (actual != expected || !actual.Split(' ').SequenceEqual(pieces))
                failures.Add($"{edge.GetProperty("note").GetString()}: expected [{Escape(expected)}], got [{Escape(actual)}]");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    /// <summary>cases.jsonl: every text's <c>sanitized</c> field, which is Merlin's sanitize_report(raw).</summary>
    [Fact]
    public void Sanitize_MatchesMerlin_OnEveryCase()
    {
        var cases = TokenizerCase.LoadAll();
        Assert.Equal(44, cases.Count);
        var failures = cases
            .Select(c => (c.Id, Expected: c.Sanitized, Actual: ReportSanitizer.Sanitize(c.Raw)))
            .Where(r => r.Expected != r.Actual)
            .Select(r => $"{r.Id}: expected [{Escape(r.Expected)}], got [{Escape(r.Actual)}]")
            .ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    // Expected values are Python 3.11.7's " ".join(re.findall(r"\w+|[^\w\s]+", text.lower())).
    [Theory]
    [InlineData("", "")]
    [InlineData("  \t\n ", "")]
    [InlineData("ΟΔΟΣ.", "οδος .")] // '.' is case-ignorable, so Σ is still word-final
    [InlineData("ΑΣ'Α", "ασ ' α")] // a cased letter after the ignorable quote: not final
    [InlineData("ΑΣ\u0301", "ας \u0301")] // the combining accent is skipped, then the end: final
    [InlineData("Σ", "σ")] // nothing cased before it
    [InlineData("1Σ", "1σ")]
    [InlineData("ⅫΣ", "ⅻς")] // Roman numerals are Nl but Cased
    [InlineData("ÉTAT 5·10⁹/L", "état 5 · 10⁹ / l")]
    [InlineData("a\ud800b", "a \ud800 b")] // a lone surrogate is one non-word code point, as in Python
    [InlineData("x\u0378y", "x \u0378 y")] // unassigned
    [InlineData("a\u1C89b", "a \u1C89 b")] // CYRILLIC CAPITAL TJE: Unicode 16, so unassigned (not a letter, not lowered) to Python 3.11
    [InlineData("x\U00031350y", "x \U00031350 y")] // CJK extension H (Unicode 15): unassigned to Python 3.11
    public void Sanitize_FollowsPython311(string input, string expected) =>
        Assert.Equal(Escape(expected), Escape(ReportSanitizer.Sanitize(input)));

    [Fact]
    public void Sanitize_KeepsAstralCharactersWhole()
    {
        var sanitized = ReportSanitizer.Sanitize("Lesion😀\U00020000x");
        // The emoji (So) is its own piece; the CJK extension B ideograph (Lo) joins the word after it.
        Assert.Equal("lesion 😀 \U00020000x", sanitized);
    }

    /// <summary>
    /// The table of characters added after Unicode 14.0 is exactly what .NET's newer Unicode data adds: if a .NET
    /// update assigns more, this count changes and the table needs the new ranges (compare with Python 3.11).
    /// </summary>
    [Fact]
    public void UnicodeTable_LeavesExactlyTheUnicode14Assignments()
    {
        var assigned = 0;
        for (var cp = 0; cp <= 0x10FFFF; cp++)
            if (Rune.IsValid(cp) && Rune.GetUnicodeCategory(new Rune(cp)) != UnicodeCategory.OtherNotAssigned) assigned++;
        Assert.Equal(PythonUnicode.AssignedInUnicode14, assigned - PythonUnicode.AssignedAfterUnicode14Count);
    }

    /// <summary>Non-ASCII as \uXXXX per UTF-16 unit, so a failure shows combining marks, spaces and lone surrogates.</summary>
    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and < '\x7f' ? c.ToString() : $"\\u{(int)c:X4}"));
}
