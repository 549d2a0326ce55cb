using System.Globalization;
using CsvHelper;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// predictions.csv (design.md, Formats): study_id, patient_id, label, prediction, score, then sim_&lt;class&gt; per class.
/// Reading accepts any CSV with at least patient_id, label, score and prediction — 0/1, or class names with a
/// positive class — so predictions of other models can be scored on equal terms.
/// </summary>
public static class PredictionsFile
{
    public static void Write(string path, IReadOnlyList<PredictionRow> rows, IReadOnlyList<string> classes)
    {
        AtomicFile.Write(path, stream =>
        {
            using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), leaveOpen: true);
            using var csv = new CsvWriter(writer, CultureInfo.InvariantCulture);
            foreach (var h in new[] { "study_id", "patient_id", "label", "prediction", "score" }.Concat(classes.Select(c => "sim_" + c))) csv.WriteField(h);
            csv.NextRecord();
            foreach (var r in rows)
            {
                csv.WriteField(r.StudyId);
                csv.WriteField(r.PatientId);
                csv.WriteField(r.Label);
                csv.WriteField(r.Prediction);
                csv.WriteField(r.Score.ToString("R", CultureInfo.InvariantCulture));
                foreach (var c in classes) csv.WriteField(r.Similarities[c].ToString("R", CultureInfo.InvariantCulture));
                csv.NextRecord();
            }
        });
    }

    public static IReadOnlyList<PredictionRow> Read(string path, string? positive = null)
    {
        if (!File.Exists(path)) throw new InputException(path, "predictions file not found");
        using var reader = new StreamReader(path);
        using var csv = new CsvReader(reader, CultureInfo.InvariantCulture);
        if (!csv.Read() || !csv.ReadHeader()) throw new InputException(path, "predictions file is empty");
        var header = csv.HeaderRecord!.Select(h => h.Trim().ToLowerInvariant()).ToArray();
        foreach (var required in new[] { "patient_id", "label", "score", "prediction" })
            if (!header.Contains(required)) throw new InputException(path, $"lacks the column {required} (needs patient_id, label, score, prediction)");
        var rows = new List<PredictionRow>();
        while (csv.Read())
        {
            var line = csv.Parser.RawRow;
            string Field(string name) => csv.GetField(Array.IndexOf(header, name))?.Trim() ?? "";
            int Binary(string name)
            {
                var v = Field(name);
                if (v is "0" or "1") return v == "1" ? 1 : 0;
                if (positive is not null) return string.Equals(v, positive, StringComparison.Ordinal) ? 1 : 0;
                throw new InputException(path, $"line {line}: {name} \"{v}\" is not 0/1; pass --positive CLASS to read class names");
            }
            if (!double.TryParse(Field("score"), NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
                throw new InputException(path, $"line {line}: score \"{Field("score")}\" is not a finite number");
            var sims = header.Where(h => h.StartsWith("sim_", StringComparison.Ordinal))
                .ToDictionary(h => h[4..], h => double.TryParse(Field(h), NumberStyles.Float, CultureInfo.InvariantCulture, out var s) ? s : double.NaN);
            rows.Add(new PredictionRow(header.Contains("study_id") ? Field("study_id") : $"row{line}", Field("patient_id"), Binary("label"), Binary("prediction"), score, sims));
        }
        if (rows.Count == 0) throw new InputException(path, "predictions file has no rows");
        return rows;
    }
}
