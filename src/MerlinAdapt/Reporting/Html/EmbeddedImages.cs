namespace MerlinAdapt.Reporting.Html;

/// <summary>
/// PNGs embedded into the report as data URIs, each file once. Size limits keep a report mailable: a dozen plots of
/// 30–300 kB stay far below them, and an image past them is named in a note instead of inflating the page.
/// </summary>
internal sealed class EmbeddedImages(string root)
{
    /// <summary>One image past this is not embedded (a ScottPlot figure is 30–300 kB).</summary>
    public const long MaxImageBytes = 2L << 20;

    /// <summary>All images together: base64 adds a third, so a page stays under about 4.2 MB.</summary>
    public const long MaxTotalBytes = 3L << 20;

    private static readonly byte[] Signature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];
    private readonly Dictionary<string, string> dataUris = new(StringComparer.Ordinal);
    private long total;

    public int Count => dataUris.Count;

    public long Bytes => total;

    public bool Contains(string path) => dataUris.ContainsKey(Path.GetFullPath(path));

    /// <summary>The data URI of a PNG inside the report folder, or null with why it was not embedded.</summary>
    public string? TryEmbed(string path, out string? reason)
    {
        var full = Path.GetFullPath(path);
        reason = null;
        if (dataUris.TryGetValue(full, out var known)) return known;
        var relative = Path.GetRelativePath(root, full);
        if (relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative)) { reason = "outside the report folder"; return null; }
        if (!File.Exists(full)) { reason = "not found"; return null; }
        var length = new FileInfo(full).Length;
        if (length > MaxImageBytes || total + length > MaxTotalBytes)
        {
            reason = $"not embedded: {length / 1048576.0:0.0} MB would make the report too large";
            return null;
        }
        var bytes = File.ReadAllBytes(full);
        if (bytes.Length < Signature.Length || !bytes.AsSpan(0, Signature.Length).SequenceEqual(Signature)) { reason = "not a PNG file"; return null; }
        total += bytes.Length;
        return dataUris[full] = "data:image/png;base64," + Convert.ToBase64String(bytes);
    }

    /// <summary>A figure with the caption taken from the file name (loss_curve.png → "loss curve"), or a note why it is missing.</summary>
    public string Figure(string path)
    {
        var name = Path.GetRelativePath(root, path).Replace('\\', '/');
        var uri = TryEmbed(path, out var reason);
        if (uri is null) return Markup.Note($"{name}: {reason}");
        var caption = Path.GetFileNameWithoutExtension(path).Replace('_', ' ').Replace('-', ' ');
        return $"<figure><img src=\"{uri}\" alt=\"{Markup.Escape(caption)}\"><figcaption>{Markup.Escape(caption)} <span class=\"file\">({Markup.Escape(name)})</span></figcaption></figure>\n";
    }
}
