using System.Globalization;
using CsvHelper;
using CsvHelper.Configuration;

namespace MerlinAdapt.Cohorts;

/// <summary>
/// A cohort manifest (`manifest.csv`: patient_id, study_id, image, report, label, split, phase; UTF-8, header row).
/// Loading validates it and names the file and line of the first problem; paths resolve relative to the file.
/// </summary>
public sealed class Manifest
{
    public static readonly string[] StandardColumns = ["patient_id", "study_id", "image", "report", "label", "split", "phase"];
    private static readonly string[] RequiredColumns = ["patient_id", "study_id", "image"];
    private static readonly string[] Splits = ["", "train", "val", "test"];

    public Manifest(string path, IReadOnlyList<ManifestEntry> entries, IReadOnlyList<string>? extraColumns = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        Entries = entries;
        ExtraColumns = extraColumns ?? [];
    }

    public string Path { get; }

    public string Directory => System.IO.Path.GetDirectoryName(Path)!;

    public IReadOnlyList<ManifestEntry> Entries { get; }

    public IReadOnlyList<string> ExtraColumns { get; }

    /// <summary>The absolute path of an entry's image.</summary>
    public string ImagePath(ManifestEntry entry) => System.IO.Path.GetFullPath(System.IO.Path.Combine(Directory, entry.Image));

    public static Manifest Load(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "manifest not found");
        var config = new CsvConfiguration(CultureInfo.InvariantCulture)
        {
            PrepareHeaderForMatch = a => a.Header.Trim().ToLowerInvariant(),
            TrimOptions = TrimOptions.Trim,
            DetectDelimiter = false,
            BadDataFound = null,
        };
        using var reader = new StreamReader(path, detectEncodingFromByteOrderMarks: true);
        using var csv = new CsvReader(reader, config);
        try
        {
            if (!csv.Read() || !csv.ReadHeader()) throw new InputException(path, "manifest is empty (expected a header row: " + string.Join(",", StandardColumns) + ")");
            var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
            var missing = RequiredColumns.Where(c => !header.Contains(c)).ToList();
            if (missing.Count > 0)
                throw new InputException(path, $"manifest lacks the column(s) {string.Join(", ", missing)} (header: {string.Join(",", header)})");
            var extras = header.Where(h => !StandardColumns.Contains(h) && h.Length > 0).ToList();

            var entries = new List<ManifestEntry>();
            var seen = new Dictionary<string, int>(StringComparer.Ordinal);
            while (csv.Read())
            {
                var line = csv.Parser.RawRow;
                string Field(string name) => header.Contains(name) ? csv.GetField(Array.IndexOf(header, name))?.Trim() ?? "" : "";
                if (Enumerable.Range(0, csv.Parser.Count).All(i => string.IsNullOrWhiteSpace(csv.GetField(i)))) continue;
                var entry = new ManifestEntry
                {
                    PatientId = Field("patient_id"),
                    StudyId = Field("study_id"),
                    Image = Field("image"),
                    Report = Field("report"),
                    Label = Field("label"),
                    Split = Field("split").ToLowerInvariant(),
                    Phase = Field("phase"),
                    Line = line,
                    Extra = extras.ToDictionary(c => c, Field),
                };
                foreach (var (name, value) in new[] { ("patient_id", entry.PatientId), ("study_id", entry.StudyId), ("image", entry.Image) })
                    if (value.Length == 0) throw new InputException(path, $"line {line}: {name} is empty");
                if (!Splits.Contains(entry.Split))
                    throw new InputException(path, $"line {line}: split \"{entry.Split}\" is not train, val, test or empty");
                if (seen.TryGetValue(entry.StudyId, out var first))
                    throw new InputException(path, $"line {line}: study_id \"{entry.StudyId}\" repeats line {first}; study ids must be unique");
                seen[entry.StudyId] = line;
                entries.Add(entry);
            }
            if (entries.Count == 0) throw new InputException(path, "manifest has a header but no rows");
            return new Manifest(path, entries, extras);
        }
        catch (CsvHelperException e)
        {
            throw new InputException(path, $"not a readable CSV manifest ({e.GetType().Name}: {e.Message.Split('\n')[0]})", e);
        }
    }

    /// <summary>Writes the manifest (standard columns, then any extra ones) atomically.</summary>
    public void Save(string path, IEnumerable<ManifestEntry>? entries = null)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var column in StandardColumns.Concat(ExtraColumns)) csv.WriteField(column);
            csv.NextRecord();
            foreach (var e in entries ?? Entries)
            {
                foreach (var value in new[] { e.PatientId, e.StudyId, e.Image, e.Report, e.Label, e.Split, e.Phase }) csv.WriteField(value);
                foreach (var column in ExtraColumns) csv.WriteField(e.Extra.GetValueOrDefault(column, ""));
                csv.NextRecord();
            }
        });
    }
}
