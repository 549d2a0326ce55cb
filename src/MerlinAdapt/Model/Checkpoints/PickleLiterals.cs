using System.Globalization;
using System.Numerics;
using System.Text;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// Decoding of the pickle's literal values — integers, floats, strings in their binary and protocol-0 text forms,
/// memo indices — for <see cref="PickleReader"/>. Malformed literals are reported as a corrupt checkpoint.
/// </summary>
internal static class PickleLiterals
{
    public static string Utf8(ReadOnlySpan<byte> bytes, string path)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { throw Corrupt(path, "a string in the pickle is not valid UTF-8"); }
    }

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static object IntLine(ReadOnlySpan<byte> line, string path)
    {
        // Protocol 0 writes booleans as INT 00/01.
        if (line.SequenceEqual("00"u8)) return false;
        if (line.SequenceEqual("01"u8)) return true;
        return Integer(Encoding.ASCII.GetString(line), path);
    }

    public static object LongLine(ReadOnlySpan<byte> line, string path)
    {
        var text = Encoding.ASCII.GetString(line);
        return Integer(text.EndsWith('L') ? text[..^1] : text, path);
    }

    private static object Integer(string text, string path)
    {
        if (!BigInteger.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
            throw Corrupt(path, $"integer literal '{Shorten(text)}' is not a number");
        return Narrow(value);
    }

    public static double FloatLine(ReadOnlySpan<byte> line, string path)
    {
        var text = Encoding.ASCII.GetString(line);
        return text switch
        {
            "nan" => double.NaN,
            "inf" => double.PositiveInfinity,
            "-inf" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)
                ? d
                : throw Corrupt(path, $"float literal '{Shorten(text)}' is not a number"),
        };
    }

    public static object Long(ReadOnlySpan<byte> bytes) =>
        bytes.Length == 0 ? 0L : Narrow(new BigInteger(bytes, isUnsigned: false, isBigEndian: false));

    private static object Narrow(BigInteger value) =>
        value >= long.MinValue && value <= long.MaxValue ? (object)(long)value : value;

    public static long MemoIndex(ReadOnlySpan<byte> line, string path) =>
        long.TryParse(Encoding.ASCII.GetString(line), NumberStyles.None, CultureInfo.InvariantCulture, out var i)
            ? i
            : throw Corrupt(path, "memo index is not a number");

    /// <summary>A protocol-0 STRING: a Python repr in single or double quotes with backslash escapes.</summary>
    public static string QuotedString(ReadOnlySpan<byte> line, string path)
    {
        if (line.Length < 2 || line[0] != line[^1] || line[0] is not ((byte)'\'' or (byte)'"'))
            throw Corrupt(path, "STRING literal without matching quotes");
        var body = line[1..^1];
        var bytes = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] != '\\') { bytes.Add(body[i]); continue; }
            if (++i >= body.Length) throw Corrupt(path, "STRING literal ends in a backslash");
            switch (body[i])
            {
                case (byte)'n': bytes.Add((byte)'\n'); break;
                case (byte)'r': bytes.Add((byte)'\r'); break;
                case (byte)'t': bytes.Add((byte)'\t'); break;
                case (byte)'0': bytes.Add(0); break;
                case (byte)'x' when i + 2 < body.Length && byte.TryParse(body.Slice(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var b):
                    bytes.Add(b);
                    i += 2;
                    break;
                case (byte)'\\' or (byte)'\'' or (byte)'"': bytes.Add(body[i]); break;
                default: throw Corrupt(path, $"STRING literal with unsupported escape \\{(char)body[i]}");
            }
        }
        return Utf8(bytes.ToArray(), path);
    }

    /// <summary>A protocol-0 UNICODE: Latin-1 text where only \uXXXX and \UXXXXXXXX are escapes.</summary>
    public static string RawUnicodeEscape(ReadOnlySpan<byte> line, string path)
    {
        var sb = new StringBuilder(line.Length);
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is (byte)'u' or (byte)'U')
            {
                var digits = line[i + 1] == 'u' ? 4 : 8;
                if (i + 2 + digits > line.Length ||
                    !int.TryParse(line.Slice(i + 2, digits), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var cp) ||
                    cp is < 0 or > 0x10FFFF || (digits == 8 && cp is >= 0xD800 and <= 0xDFFF))
                    throw Corrupt(path, "UNICODE literal with a malformed escape");
                // A 4-digit escape may be a lone surrogate, which Python's str allows; keep it as that UTF-16 unit.
                if (digits == 4) sb.Append((char)cp);
                else sb.Append(char.ConvertFromUtf32(cp));
                i += 1 + digits;
            }
            else sb.Append((char)line[i]);
        }
        return sb.ToString();
    }

    public static string Shorten(string s) => s.Length <= 60 ? s : s[..57] + "...";

    private static InputException Corrupt(string path, string problem) => new(path, $"corrupt checkpoint: {problem}");
}
