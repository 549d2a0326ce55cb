using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace MerlinAdapt.Reporting.Html;

/// <summary>A CSV file (metrics.csv of a run, results.csv of a sweep) as an HTML table, numbers rounded for reading.</summary>
internal static class CsvTable
{
    /// <summary>Rows shown; a longer file is cut with a note (the CSV itself stays the full record).</summary>
    public const int MaxRows = 500;

    public static string Render(string path, string caption)
    {
        var rows = new List<string[]>();
        var total = 0;
        try
        {
            using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
            using var csv = new CsvParser(reader, new CsvConfiguration(CultureInfo.InvariantCulture) { DetectDelimiter = false, BadDataFound = null });
            while (csv.Read())
            {
                if (csv.Record is not { } record || record.All(string.IsNullOrWhiteSpace)) continue;
                if (rows.Count == 0 || total++ < MaxRows) rows.Add(record);
            }
        }
        catch (CsvHelperException e)
        {
            return Markup.Note($"{Path.GetFileName(path)}: not a readable CSV file ({e.Message.Split('\n')[0]})");
        }
        if (rows.Count == 0) return Markup.Note($"{Path.GetFileName(path)} is empty");
        var header = rows[0];
        var body = rows.Skip(1).Select(r => (IReadOnlyList<string>)Enumerable.Range(0, header.Length).Select(c => c < r.Length ? Number(r[c]) : "").ToArray()).ToList();
        var numeric = Enumerable.Range(0, header.Length)
            .Select(c => body.Count > 0 && body.All(r => r[c].Length == 0 || double.TryParse(r[c], NumberStyles.Float, CultureInfo.InvariantCulture, out _))).ToList();
        return Markup.Table(caption, header, body, numeric, total > MaxRows ? $"first {MaxRows} of {total} rows; the rest are in {Path.GetFileName(path)}" : null);
    }

    /// <summary>Integers and text as written; other numbers to four decimals, or three significant digits in scientific notation when tiny or huge.</summary>
    internal static string Number(string text)
    {
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) || long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _))
            return text;
        var magnitude = Math.Abs(v);
        return magnitude == 0 || (magnitude >= 1e-3 && magnitude < 1e6)
            ? v.ToString("0.####", CultureInfo.InvariantCulture)
            : v.ToString("0.##e+0", CultureInfo.InvariantCulture);
    }
}
