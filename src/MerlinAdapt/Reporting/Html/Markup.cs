using System.Net;
using System.Text;

namespace MerlinAdapt.Reporting.Html;

/// <summary>The few HTML pieces the report is made of. Every text that comes from a file passes through <see cref="Escape"/>.</summary>
internal static class Markup
{
    public static string Escape(string text) => WebUtility.HtmlEncode(text);

    /// <summary>A table with a caption; cells are escaped here, columns flagged numeric are right-aligned.</summary>
    public static string Table(string caption, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows, IReadOnlyList<bool>? numeric = null, string? footnote = null)
    {
        var html = new StringBuilder("<div class=\"table\"><table>");
        if (caption.Length > 0) html.Append("<caption>").Append(Escape(caption)).Append("</caption>");
        html.Append("<thead><tr>");
        for (var c = 0; c < header.Count; c++) html.Append(Cell("th", header[c], numeric, c));
        html.Append("</tr></thead><tbody>");
        foreach (var row in rows)
        {
            html.Append("<tr>");
            for (var c = 0; c < row.Count; c++) html.Append(Cell("td", row[c], numeric, c));
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
        if (footnote is not null) html.Append("<p class=\"note\">").Append(Escape(footnote)).Append("</p>");
        return html.Append("</div>\n").ToString();
    }

    public static string Note(string text) => $"<p class=\"note\">{Escape(text)}</p>\n";

    private static string Cell(string tag, string text, IReadOnlyList<bool>? numeric, int column) =>
        numeric is not null && column < numeric.Count && numeric[column] ? $"<{tag} class=\"num\">{Escape(text)}</{tag}>" : $"<{tag}>{Escape(text)}</{tag}>";

    /// <summary>Inline CSS only: the page loads nothing (the Content-Security-Policy in the head forbids it anyway).</summary>
    public const string Style = """
        :root { color-scheme: light; }
        body { font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2328; background: #fff; margin: 0 auto; max-width: 1100px; padding: 1.5rem 2rem 3rem; }
        h1 { font-size: 1.7rem; margin: 0 0 .2rem; }
        h2 { font-size: 1.3rem; border-bottom: 1px solid #d0d7de; padding-bottom: .2rem; margin-top: 2.2rem; }
        h3, h4 { font-size: 1.05rem; }
        .meta, .note, .file, figcaption { color: #59636e; font-size: .88rem; }
        .file { font-family: ui-monospace, "DejaVu Sans Mono", monospace; margin: 1rem 0 .2rem; }
        nav ol { columns: 2; padding-left: 1.3rem; }
        a { color: #0969da; }
        .table { overflow-x: auto; margin: .6rem 0 1rem; }
        table { border-collapse: collapse; font-size: .9rem; }
        caption { text-align: left; font-weight: 600; padding: .2rem 0; }
        th, td { border: 1px solid #d0d7de; padding: .25rem .6rem; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
        tbody tr:nth-child(even) { background: #fafbfc; }
        pre, code { font-family: ui-monospace, "DejaVu Sans Mono", monospace; font-size: .85rem; }
        pre { background: #f6f8fa; padding: .8rem; overflow-x: auto; border-radius: 6px; }
        details { margin: .8rem 0; }
        summary { cursor: pointer; font-weight: 600; }
        .figures { display: flex; flex-wrap: wrap; gap: 1rem; }
        figure { margin: 0; flex: 0 1 calc(50% - .5rem); min-width: 320px; }
        figure img { width: 100%; height: auto; border: 1px solid #d0d7de; }
        footer { margin-top: 3rem; }
        """;
}
