using System.Globalization;

namespace MerlinAdapt.Training;

/// <summary>
/// Phenotype labels per study for the image tower's classifier head, as Merlin was pretrained (EHR phenotypes beside
/// the report): a CSV <c>study_id,CODE1,CODE2,…</c> of 0/1 values; column k trains classifier output k with a
/// binary cross-entropy. `synth` writes one from its generated findings; a hospital would derive one from diagnosis codes.
/// </summary>
public sealed class PhenotypeLabels
{
    private readonly Dictionary<string, float[]> _rows;

    private PhenotypeLabels(string path, string[] codes, Dictionary<string, float[]> rows) => (Path, Codes, _rows) = (path, codes, rows);

    public string Path { get; }

    public IReadOnlyList<string> Codes { get; }

    public int Count => _rows.Count;

    /// <exception cref="InputException">A missing file, no code column, a value other than 0 or 1, a short row or a repeated study.</exception>
    public static PhenotypeLabels Read(string path)
    {
        if (!File.Exists(path)) throw new InputException(path, "phenotype file not found");
        var lines = File.ReadAllLines(path).Where(l => l.Trim().Length > 0).ToList();
        var header = lines.Count > 0 ? lines[0].Split(',').Select(h => h.Trim()).ToArray() : [];
        if (header.Length < 2 || header[0] != "study_id") throw new InputException(path, "needs a header row: study_id,CODE1,CODE2,…");
        var codes = header[1..];
        var rows = new Dictionary<string, float[]>(StringComparer.Ordinal);
        for (var i = 1; i < lines.Count; i++)
        {
            var cells = lines[i].Split(',');
            if (cells.Length != header.Length) throw new InputException(path, $"line {i + 1} has {cells.Length} values, the header {header.Length}");
            var values = new float[codes.Length];
            for (var k = 0; k < codes.Length; k++)
                values[k] = cells[k + 1].Trim() switch
                {
                    "0" => 0f,
                    "1" => 1f,
                    var v => throw new InputException(path, $"line {i + 1}, {codes[k]}: \"{v}\" is not 0 or 1"),
                };
            if (!rows.TryAdd(cells[0].Trim(), values)) throw new InputException(path, $"line {i + 1}: study {cells[0].Trim()} appears twice");
        }
        return new PhenotypeLabels(path, codes, rows);
    }

    /// <summary>The labels of a study, in <see cref="Codes"/> order.</summary>
    /// <exception cref="InputException">The study has no row.</exception>
    public float[] Of(string studyId) =>
        _rows.TryGetValue(studyId, out var row) ? row : throw new InputException(Path, $"has no row for study {studyId}");

    /// <summary>Writes a phenotype file atomically.</summary>
    public static void Write(string path, IReadOnlyList<string> codes, IEnumerable<(string StudyId, IReadOnlyList<bool> Values)> rows)
    {
        var text = new System.Text.StringBuilder("study_id," + string.Join(",", codes) + "\n");
        foreach (var (study, values) in rows)
            text.Append(study).Append(',').AppendJoin(",", values.Select(v => (v ? 1 : 0).ToString(CultureInfo.InvariantCulture))).Append('\n');
        AtomicFile.WriteAllText(path, text.ToString());
    }
}
