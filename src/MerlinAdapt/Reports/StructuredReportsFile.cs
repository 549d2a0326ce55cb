using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MerlinAdapt.Reports;

/// <summary>
/// reports.jsonl (design.md, Formats): one <see cref="StructuredReport"/> per line, snake_case keys. Written by
/// `structure-reports`, read by training for its anatomy view (<see cref="Read"/>: the reports by study id).
/// </summary>
public static class StructuredReportsFile
{
    // One object per line; non-ASCII text (names of places, accents) kept readable rather than \u-escaped.
    private static readonly JsonSerializerOptions Lines = new(Json.Options)
    {
        WriteIndented = false,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static void Write(string path, IEnumerable<StructuredReport> reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new UTF8Encoding(false), leaveOpen: true) { NewLine = "\n" };
            foreach (var report in reports) writer.WriteLine(JsonSerializer.Serialize(report, Lines));
        });
    }

    /// <summary>
    /// The reports of a reports.jsonl file by study id. Blank lines are skipped; a line that is not a report, or a
    /// study id seen before, is an <see cref="InputException"/> naming the file and line.
    /// </summary>
    public static IReadOnlyDictionary<string, StructuredReport> Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "reports file not found (structure-reports writes it)");
        var reports = new Dictionary<string, StructuredReport>(StringComparer.Ordinal);
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Trim().Length == 0) continue;
            StructuredReport? report;
            try
            {
                report = JsonSerializer.Deserialize<StructuredReport>(line, Lines);
            }
            catch (JsonException e)
            {
                throw new InputException(path, $"line {number}: not a structured report ({e.Message.Split('.')[0]})", e);
            }
            if (report is null || string.IsNullOrEmpty(report.StudyId)) throw new InputException(path, $"line {number}: no study_id");
            if (!reports.TryAdd(report.StudyId, report)) throw new InputException(path, $"line {number}: study_id \"{report.StudyId}\" appears twice");
        }
        return reports;
    }
}
