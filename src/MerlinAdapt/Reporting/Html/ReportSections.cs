namespace MerlinAdapt.Reporting.Html;

/// <summary>One folder's part of the report: its path relative to the report folder ("" at the top) and its HTML blocks.</summary>
internal sealed record ReportSection(string Name, IReadOnlyList<string> Blocks);

/// <summary>
/// Finds what a folder tree has to report, by convention, so that one report fits a run, an evaluation, a sweep, an
/// ablation and the demo: in each folder summary.md first, then the other Markdown files, results.csv (unless
/// results.md or table.md already tabulate it), the PNGs of the folder and its plots/, metrics.csv (the epochs),
/// and config.json (with the data it names). Each sub-folder with anything of that is a section of its own;
/// model weights, caches, raw scans and reports, cohorts and hidden folders are never walked.
/// </summary>
internal sealed class ReportSections(string root, EmbeddedImages images)
{
    public const string SummaryFile = "summary.md";

    private static readonly HashSet<string> SkippedFolders = new(StringComparer.OrdinalIgnoreCase)
        { "checkpoints", "base", "cache", "scans", "reports", "plots" };

    /// <summary>Deeper than any layout MerlinAdapt writes (sweep/run/evaluation is three).</summary>
    private const int MaxDepth = 8;

    private static readonly EnumerationOptions Listing = new() { IgnoreInaccessible = true, AttributesToSkip = 0 };

    private readonly Dictionary<string, string> summarisedManifests = new(StringComparer.Ordinal);

    public List<ReportSection> Collect()
    {
        var sections = new List<ReportSection>();
        Visit(new DirectoryInfo(root), 0, sections);
        return sections;
    }

    /// <summary>Folders never reported: checkpoints, base (a preset's initial model), cache, scans, reports, cohort* (raw data), plots (shown with its parent), hidden, staging (*.tmp, *.old) and links.</summary>
    internal static bool IsSkipped(DirectoryInfo folder) =>
        folder.Name.StartsWith('.') || SkippedFolders.Contains(folder.Name) || folder.Name.StartsWith("cohort", StringComparison.OrdinalIgnoreCase)
        || folder.Name.EndsWith(".tmp", StringComparison.Ordinal) || folder.Name.EndsWith(".old", StringComparison.Ordinal) || folder.LinkTarget is not null;

    private void Visit(DirectoryInfo folder, int depth, List<ReportSection> sections)
    {
        var name = depth == 0 ? "" : Path.GetRelativePath(root, folder.FullName).Replace('\\', '/');
        var blocks = Blocks(folder.FullName, name);
        if (blocks.Count > 0) sections.Add(new ReportSection(name, blocks));
        if (depth >= MaxDepth) return;
        foreach (var sub in folder.EnumerateDirectories("*", Listing).OrderBy(d => d.Name, StringComparer.Ordinal))
            if (!IsSkipped(sub)) Visit(sub, depth + 1, sections);
    }

    private List<string> Blocks(string folder, string name)
    {
        var blocks = new List<string>();
        string In(string file) => Path.Combine(folder, file);
        bool Has(string file) => File.Exists(In(file));

        var markdown = Directory.EnumerateFiles(folder, "*.md", Listing).Select(Path.GetFileName).OfType<string>()
            .OrderBy(f => f != SummaryFile).ThenBy(f => f, StringComparer.Ordinal);
        foreach (var file in markdown)
        {
            var label = file == SummaryFile ? "" : $"<p class=\"file\">{Markup.Escape(file)}</p>";
            blocks.Add($"{label}<div class=\"md\">{ReportMarkdown.Render(File.ReadAllText(In(file)), folder, images)}</div>\n");
        }
        if (Has("results.csv") && !Has("results.md") && !Has("table.md"))
            blocks.Add(CsvTable.Render(In("results.csv"), "Results (results.csv)"));

        var plots = Path.Combine(folder, "plots");
        var pngs = Directory.EnumerateFiles(folder, "*.png", Listing)
            .Concat(Directory.Exists(plots) ? Directory.EnumerateFiles(plots, "*.png", Listing) : [])
            .Where(p => !images.Contains(p))
            .OrderBy(p => Path.GetRelativePath(folder, p), StringComparer.Ordinal).ToList();
        if (pngs.Count > 0) blocks.Add($"<div class=\"figures\">\n{string.Concat(pngs.Select(images.Figure))}</div>\n");

        if (Has("metrics.csv")) blocks.Add(CsvTable.Render(In("metrics.csv"), "Training epochs (metrics.csv)"));
        if (Has("config.json")) blocks.Add(ConfigBlock.Render(In("config.json"), name.Length == 0 ? "the top section" : name, summarisedManifests));
        return blocks;
    }
}
