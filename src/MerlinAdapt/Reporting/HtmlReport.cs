using System.Globalization;
using System.Text;
using MerlinAdapt.Reporting.Html;

namespace MerlinAdapt.Reporting;

/// <summary>
/// report.html: one self-contained page for a run, evaluation, sweep, ablation or demo folder that reads offline,
/// with the folder's summaries, tables, plots (embedded as data URIs), configuration, data counts and the versions
/// that produced it. Content is found by convention (<see cref="ReportSections"/>), so every command that writes a
/// folder gets its report from one call. The page has no script and loads nothing: its Content-Security-Policy
/// allows only inline styles and data: images.
/// </summary>
public static class HtmlReport
{
    public const string FileName = "report.html";

    /// <summary>Writes &lt;directory&gt;/report.html atomically and returns its full path.</summary>
    /// <exception cref="InputException">the folder does not exist or has nothing to report</exception>
    public static string Write(string directory, string? title = null)
    {
        var html = Render(directory, title, RuntimeVersions.Current());
        var path = Path.Combine(Path.GetFullPath(directory), FileName);
        AtomicFile.WriteAllText(path, html);
        return path;
    }

    internal static string Render(string directory, string? title, RuntimeVersions versions)
    {
        if (!Directory.Exists(directory))
            throw new InputException(directory, File.Exists(directory) ? "is a file; give the run, evaluation or sweep folder" : "folder not found");
        var root = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        var sections = new ReportSections(root, new EmbeddedImages(root)).Collect();
        if (sections.Count == 0)
            throw new InputException(directory, "nothing to report: no summary.md or other .md, config.json, metrics.csv, results.csv or .png here or in its sub-folders");
        title ??= $"MerlinAdapt report: {Path.GetFileName(root)}";

        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; img-src data:; style-src 'unsafe-inline'\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<link rel=\"icon\" href=\"data:,\">\n") // no favicon request
            .Append("<title>").Append(Markup.Escape(title)).Append("</title>\n<style>").Append(Markup.Style).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>").Append(Markup.Escape(title)).Append("</h1><p class=\"meta\">")
            .Append(Markup.Escape(root)).Append(" · generated ")
            .Append(versions.GeneratedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture))
            .Append("</p></header>\n");
        if (sections.Count > 1)
        {
            html.Append("<nav><ol>\n");
            for (var i = 0; i < sections.Count; i++)
                html.Append($"<li><a href=\"#s{i}\">").Append(Markup.Escape(SectionTitle(sections[i]))).Append("</a></li>\n");
            html.Append("</ol></nav>\n");
        }
        for (var i = 0; i < sections.Count; i++)
        {
            html.Append($"<section id=\"s{i}\">\n");
            if (sections[i].Name.Length > 0) html.Append("<h2>").Append(Markup.Escape(sections[i].Name)).Append("</h2>\n");
            foreach (var block in sections[i].Blocks) html.Append(block);
            html.Append("</section>\n");
        }
        html.Append("<footer>\n")
            .Append(Markup.Table("Versions", ["component", "version"], versions.Rows().Select(r => (IReadOnlyList<string>)[r.Name, r.Value])))
            .Append("</footer>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string SectionTitle(ReportSection section) => section.Name.Length == 0 ? "overview" : section.Name;
}
