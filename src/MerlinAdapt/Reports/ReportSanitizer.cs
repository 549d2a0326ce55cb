using System.Buffers;
using System.Text;

namespace MerlinAdapt.Reports;

/// <summary>
/// Merlin's <c>sanitize_report</c> (merlin/models/build.py): <c>" ".join(nltk.wordpunct_tokenize(report.lower()))</c>,
/// that is <c>re.findall(r"\w+|[^\w\s]+", report.lower())</c> joined by single spaces, with Python 3.11's
/// Unicode rules (fixtures/tokenizer/README.md, "Merlin sanitisation, exactly"). The text encoder saw reports in
/// this form in training, so the same report must give the same pieces here, also for non-English text.
/// </summary>
/// <remarks>
/// Because <c>\w</c> and <c>[^\w\s]</c> are disjoint classes, the pieces are the maximal runs of word characters
/// and the maximal runs of other non-space characters, so one pass over the code points does it. Classes are
/// taken after lowering (İ lowers to i + U+0307, a combining mark that is not <c>\w</c>), and capital sigma lowers
/// by Python's Final_Sigma rule, which looks at the unlowered neighbours.
/// </remarks>
public static class ReportSanitizer
{
    private const int CapitalSigma = 0x03A3;

    private enum Piece { None, Word, Punctuation }

    public static string Sanitize(string report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var output = new StringBuilder(report.Length);
        var current = Piece.None;
        var text = report.AsSpan();
        for (var i = 0; i < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text[i..], out var rune, out var consumed) != OperationStatus.Done)
            {
                // A lone surrogate: Python keeps it as one code point of category Cs, neither \w nor \s.
                Append(output, ref current, Piece.Punctuation, text[i], '\0');
                i += consumed;
                continue;
            }
            if (rune.Value == 0x0130)
            {
                // Python's full lowercase mapping: LATIN CAPITAL LETTER I WITH DOT ABOVE → "i" + U+0307.
                Emit(output, ref current, new Rune('i'));
                Emit(output, ref current, new Rune(0x0307));
            }
            else if (rune.Value == CapitalSigma)
            {
                Emit(output, ref current, new Rune(IsFinalSigma(text, i, consumed) ? 0x03C2 : 0x03C3));
            }
            else
            {
                Emit(output, ref current, PythonUnicode.SimpleLower(rune));
            }
            i += consumed;
        }
        return output.ToString();
    }

    private static void Emit(StringBuilder output, ref Piece current, Rune rune)
    {
        if (PythonUnicode.IsSpace(rune.Value))
        {
            current = Piece.None;
            return;
        }
        var piece = PythonUnicode.IsWord(rune) ? Piece.Word : Piece.Punctuation;
        if (rune.IsBmp) Append(output, ref current, piece, (char)rune.Value, '\0');
        else
        {
            Span<char> pair = stackalloc char[2];
            rune.EncodeToUtf16(pair);
            Append(output, ref current, piece, pair[0], pair[1]);
        }
    }

    private static void Append(StringBuilder output, ref Piece current, Piece piece, char first, char second)
    {
        if (piece != current)
        {
            if (output.Length > 0) output.Append(' ');
            current = piece;
        }
        output.Append(first);
        if (second != '\0') output.Append(second);
    }

    /// <summary>
    /// Python's handle_capital_sigma (Unicode's Final_Sigma condition): a cased letter before it, skipping
    /// case-ignorable characters, and no cased letter after it, skipping the same.
    /// </summary>
    private static bool IsFinalSigma(ReadOnlySpan<char> text, int index, int length)
    {
        var before = index;
        var casedBefore = false;
        while (before > 0)
        {
            if (Rune.DecodeLastFromUtf16(text[..before], out var rune, out var consumed) != OperationStatus.Done)
                break; // a lone surrogate is neither case-ignorable nor cased
            before -= consumed;
            if (PythonUnicode.IsCaseIgnorable(rune)) continue;
            casedBefore = PythonUnicode.IsCased(rune);
            break;
        }
        if (!casedBefore) return false;

        for (var after = index + length; after < text.Length;)
        {
            if (Rune.DecodeFromUtf16(text[after..], out var rune, out var consumed) != OperationStatus.Done)
                return true;
            after += consumed;
            if (PythonUnicode.IsCaseIgnorable(rune)) continue;
            return !PythonUnicode.IsCased(rune);
        }
        return true;
    }
}
