using System.Globalization;
using System.Text;

namespace MerlinAdapt.Reports;

/// <summary>
/// Python 3.11's view of one code point (its <c>unicodedata</c> is Unicode 14.0.0), built on .NET's newer tables
/// (.NET 10: Unicode 16.0). Merlin's sanitiser ran on Python 3.11, so a report must split the same way here.
/// Checked against Python 3.11 for all 1,112,064 code points (category, <c>isalnum</c>, <c>isspace</c>,
/// <c>lower()</c>, and the Cased / Case_Ignorable properties that Final_Sigma reads): besides the table of
/// characters added after Unicode 14.0 (unassigned, Cn, to Python), the two only differ on U+0130 (Python uses the
/// full lowercase mapping; .NET's invariant mapping leaves it unchanged) and U+1171E (Mn in 14.0, Mc in .NET).
/// </summary>
internal static class PythonUnicode
{
    /// <summary>
    /// Code points that .NET 10 assigns but Unicode 14.0 does not (Unicode 15.0–16.0 additions): found by comparing
    /// every code point's category in .NET with <c>unicodedata.category</c> in Python 3.11. Inclusive, sorted.
    /// </summary>
    private static readonly (int First, int Last)[] AssignedAfterUnicode14 =
    [
        (0x897, 0x897), (0xCF3, 0xCF3), (0xECE, 0xECE), (0x1B4E, 0x1B4F), (0x1B7F, 0x1B7F), (0x1C89, 0x1C8A),
        (0x2427, 0x2429), (0x2FFC, 0x2FFF), (0x31E4, 0x31E5), (0x31EF, 0x31EF), (0xA7CB, 0xA7CD), (0xA7DA, 0xA7DC),
        (0x105C0, 0x105F3), (0x10D40, 0x10D65), (0x10D69, 0x10D85), (0x10D8E, 0x10D8F), (0x10EC2, 0x10EC4),
        (0x10EFC, 0x10EFF), (0x1123F, 0x11241), (0x11380, 0x11389), (0x1138B, 0x1138B), (0x1138E, 0x1138E),
        (0x11390, 0x113B5), (0x113B7, 0x113C0), (0x113C2, 0x113C2), (0x113C5, 0x113C5), (0x113C7, 0x113CA),
        (0x113CC, 0x113D5), (0x113D7, 0x113D8), (0x113E1, 0x113E2), (0x116D0, 0x116E3), (0x11B00, 0x11B09),
        (0x11BC0, 0x11BE1), (0x11BF0, 0x11BF9), (0x11F00, 0x11F10), (0x11F12, 0x11F3A), (0x11F3E, 0x11F5A),
        (0x1342F, 0x1342F), (0x13439, 0x13455), (0x13460, 0x143FA), (0x16100, 0x16139), (0x16D40, 0x16D79),
        (0x18CFF, 0x18CFF), (0x1B132, 0x1B132), (0x1B155, 0x1B155), (0x1CC00, 0x1CCF9), (0x1CD00, 0x1CEB3),
        (0x1D2C0, 0x1D2D3), (0x1DF25, 0x1DF2A), (0x1E030, 0x1E06D), (0x1E08F, 0x1E08F), (0x1E4D0, 0x1E4F9),
        (0x1E5D0, 0x1E5FA), (0x1E5FF, 0x1E5FF), (0x1F6DC, 0x1F6DC), (0x1F774, 0x1F776), (0x1F77B, 0x1F77F),
        (0x1F7D9, 0x1F7D9), (0x1F8B2, 0x1F8BB), (0x1F8C0, 0x1F8C1), (0x1FA75, 0x1FA77), (0x1FA87, 0x1FA89),
        (0x1FA8F, 0x1FA8F), (0x1FAAD, 0x1FAAF), (0x1FABB, 0x1FABF), (0x1FAC6, 0x1FAC6), (0x1FACE, 0x1FACF),
        (0x1FADA, 0x1FADC), (0x1FADF, 0x1FADF), (0x1FAE8, 0x1FAE9), (0x1FAF7, 0x1FAF8), (0x1FBCB, 0x1FBEF),
        (0x2B739, 0x2B739), (0x2EBF0, 0x2EE5D), (0x31350, 0x323AF),
    ];

    /// <summary>How many code points (surrogates excluded) Unicode 14.0 assigns, private use included.</summary>
    internal const int AssignedInUnicode14 = 282_230;

    internal static int AssignedAfterUnicode14Count => AssignedAfterUnicode14.Sum(r => r.Last - r.First + 1);

    /// <summary>The general category Python 3.11 reports.</summary>
    public static UnicodeCategory Category(Rune rune)
    {
        if (IsAssignedAfterUnicode14(rune.Value)) return UnicodeCategory.OtherNotAssigned;
        if (rune.Value == 0x1171E) return UnicodeCategory.NonSpacingMark; // AHOM SIGN MEDIAL RA: Mc since Unicode 15.0
        return Rune.GetUnicodeCategory(rune);
    }

    /// <summary>Python's <c>\w</c> in a str pattern: <c>str.isalnum()</c> (letters and every numeric, Nd/Nl/No) or '_'.</summary>
    public static bool IsWord(Rune rune)
    {
        if (rune.Value < 0x80) return char.IsAsciiLetterOrDigit((char)rune.Value) || rune.Value == '_';
        return Category(rune) switch
        {
            UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
                or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter
                or UnicodeCategory.DecimalDigitNumber or UnicodeCategory.LetterNumber or UnicodeCategory.OtherNumber => true,
            _ => false,
        };
    }

    /// <summary>
    /// Python's <c>\s</c>: <c>str.isspace()</c>, i.e. category Zs or bidirectional class WS, B or S. That adds the
    /// information separators U+001C–U+001F and NEL U+0085 to what .NET calls white space.
    /// </summary>
    public static bool IsSpace(int codePoint) => codePoint switch
    {
        >= 0x09 and <= 0x0D or >= 0x1C and <= 0x20 or 0x85 or 0xA0 or 0x1680 => true,
        >= 0x2000 and <= 0x200A or 0x2028 or 0x2029 or 0x202F or 0x205F or 0x3000 => true,
        _ => false,
    };

    /// <summary>
    /// Python's simple lowercase of one code point. U+0130 (the one unconditional multi-character lowercase mapping)
    /// and capital sigma (context dependent) are the caller's business.
    /// </summary>
    public static Rune SimpleLower(Rune rune)
    {
        if (rune.Value < 0x80) return new Rune(char.ToLowerInvariant((char)rune.Value));
        return IsAssignedAfterUnicode14(rune.Value) ? rune : Rune.ToLowerInvariant(rune);
    }

    /// <summary>Unicode's Cased property, as far as Final_Sigma needs it (it never asks about case-ignorable characters).</summary>
    public static bool IsCased(Rune rune)
    {
        switch (Category(rune))
        {
            case UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter:
                return true;
        }
        // Other_Lowercase / Other_Uppercase characters that are not case-ignorable: ª º, Roman numerals,
        // circled and squared Latin letters.
        return rune.Value is 0xAA or 0xBA or (>= 0x2160 and <= 0x217F) or (>= 0x24B6 and <= 0x24E9)
            or (>= 0x1F130 and <= 0x1F149) or (>= 0x1F150 and <= 0x1F169) or (>= 0x1F170 and <= 0x1F189);
    }

    /// <summary>Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, or Word_Break MidLetter, MidNumLet or Single_Quote.</summary>
    public static bool IsCaseIgnorable(Rune rune)
    {
        switch (rune.Value)
        {
            case 0x27 or 0x2E or 0x3A or 0xB7 or 0x387 or 0x55F or 0x5F4 or 0x2018 or 0x2019 or 0x2024 or 0x2027
                or 0xFE13 or 0xFE52 or 0xFE55 or 0xFF07 or 0xFF0E or 0xFF1A:
                return true;
        }
        return Category(rune) is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
            or UnicodeCategory.ModifierLetter or UnicodeCategory.ModifierSymbol;
    }

    private static bool IsAssignedAfterUnicode14(int codePoint)
    {
        if (codePoint < AssignedAfterUnicode14[0].First) return false;
        int lo = 0, hi = AssignedAfterUnicode14.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var (first, last) = AssignedAfterUnicode14[mid];
            if (codePoint < first) hi = mid - 1;
            else if (codePoint > last) lo = mid + 1;
            else return true;
        }
        return false;
    }
}
