using System.Text.RegularExpressions;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace MerlinAdapt.Reporting.Html;

/// <summary>
/// Markdown files of a run (summary.md, metrics.md, a sweep's table) to HTML with Markdig: pipe tables on, raw HTML
/// off (it is shown as text, so a file cannot inject markup). Images that name a PNG inside the report folder are
/// embedded; any other image becomes a plain link, so the page never loads anything.
/// </summary>
internal static partial class ReportMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UsePipeTables().DisableHtml().Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto", "file"];

    public static string Render(string markdown, string baseDirectory, EmbeddedImages images)
    {
        var document = Markdown.Parse(markdown, Pipeline);
        foreach (var link in document.Descendants<LinkInline>().ToList())
        {
            if (link.IsImage)
            {
                var local = LocalPath(link.Url, baseDirectory);
                if (local is not null && images.TryEmbed(local, out _) is { } uri)
                {
                    link.Url = uri;
                    continue;
                }
                link.IsImage = false; // a remote or missing image: a link to it, nothing fetched
            }
            if (!IsSafe(link.Url)) link.Url = "#";
        }
        foreach (var link in document.Descendants<AutolinkInline>().ToList())
            if (!link.IsEmail && !IsSafe(link.Url)) link.ReplaceBy(new LiteralInline(link.Url)); // shown, not linked
        return Markdown.ToHtml(document, Pipeline);
    }

    /// <summary>Relative URLs and http(s), mailto and file links are kept; javascript:, data: and the like are not.</summary>
    private static bool IsSafe(string? url) =>
        url is null || Scheme().Match(url) is not { Success: true } m || SafeSchemes.Contains(m.Groups[1].Value.ToLowerInvariant());

    private static string? LocalPath(string? url, string baseDirectory)
    {
        if (string.IsNullOrEmpty(url) || Scheme().IsMatch(url) || !url.EndsWith(".png", StringComparison.OrdinalIgnoreCase)) return null;
        return Path.GetFullPath(Path.Combine(baseDirectory, Uri.UnescapeDataString(url)));
    }

    [GeneratedRegex("^([A-Za-z][A-Za-z0-9+.-]*):")]
    private static partial Regex Scheme();
}
