using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using MerlinAdapt.Cohorts;

namespace MerlinAdapt.Reporting.Html;

/// <summary>
/// config.json as a collapsible, pretty-printed block; when it names a manifest (a run's config does) that exists,
/// a "Data" table of scans and patients per split × label. Each manifest is summarised once per report: the
/// runs of a sweep share theirs.
/// </summary>
internal static class ConfigBlock
{
    private static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <param name="summarised">manifest path → the section that already shows its table</param>
    public static string Render(string path, string sectionName, Dictionary<string, string> summarised)
    {
        var text = File.ReadAllText(path);
        JsonElement? root = null;
        string shown;
        try
        {
            using var document = JsonDocument.Parse(text);
            root = document.RootElement.Clone();
            shown = JsonSerializer.Serialize(root, Pretty);
        }
        catch (JsonException)
        {
            shown = text; // shown as written: a broken config is still worth reading
        }
        var html = $"<details><summary>Configuration ({Markup.Escape(Path.GetFileName(path))})</summary><pre>{Markup.Escape(shown)}</pre></details>\n";
        if (root is { ValueKind: JsonValueKind.Object } r && r.TryGetProperty("manifest", out var m) && m.ValueKind == JsonValueKind.String && m.GetString() is { Length: > 0 } manifest)
            html += Data(Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, manifest)), sectionName, summarised);
        return html;
    }

    private static string Data(string manifestPath, string sectionName, Dictionary<string, string> summarised)
    {
        if (!File.Exists(manifestPath)) return Markup.Note($"Data: the manifest {manifestPath} is no longer there");
        if (summarised.TryGetValue(manifestPath, out var shownIn)) return Markup.Note($"Data: the same manifest as {shownIn}");
        CohortCounts counts;
        try { counts = CohortCounts.Of(Manifest.Load(manifestPath)); }
        catch (InputException e) { return Markup.Note($"Data: {e.Message}"); }
        summarised[manifestPath] = sectionName;
        return DataTable(counts, manifestPath);
    }

    internal static string DataTable(CohortCounts counts, string manifestPath)
    {
        static string Cell((int Scans, int Patients) c) => c.Scans == 0 ? "–" : string.Create(CultureInfo.InvariantCulture, $"{c.Scans} ({c.Patients})");
        var header = new List<string> { "split" };
        header.AddRange(counts.Labels.Select(l => l.Length == 0 ? "unlabelled" : l));
        header.Add("all");
        var rows = counts.Splits.Select(s => (string?)s).Append(null).Select(split =>
        {
            var row = new List<string> { split is null ? "all" : split.Length == 0 ? "unassigned" : split };
            row.AddRange(counts.Labels.Select(label => Cell(counts.Count(split, label))));
            row.Add(Cell(counts.Count(split, null)));
            return (IReadOnlyList<string>)row;
        });
        return Markup.Table("Data: scans (patients) per split and label", header, rows, [false, .. Enumerable.Repeat(true, header.Count - 1)], $"from {manifestPath}");
    }
}
