namespace MerlinAdapt.Reporting;

/// <summary>
/// The patient-direction letters a CT viewer shows at the middle of each edge (R/L, A/P, S/I), drawn from a 5×7
/// bitmap font so that an exported slice says which way it is turned without relying on system fonts.
/// </summary>
internal static class OrientationLabels
{
    private static readonly Dictionary<char, string[]> Glyphs = new()
    {
        ['R'] = ["####.", "#...#", "#...#", "####.", "#.#..", "#..#.", "#...#"],
        ['L'] = ["#....", "#....", "#....", "#....", "#....", "#....", "#####"],
        ['A'] = [".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"],
        ['P'] = ["####.", "#...#", "#...#", "####.", "#....", "#....", "#...."],
        ['S'] = [".####", "#....", "#....", ".###.", "....#", "....#", "####."],
        ['I'] = [".###.", "..#..", "..#..", "..#..", "..#..", "..#..", ".###."],
    };

    /// <summary>The letters at the image's left, right, top and bottom edges.</summary>
    public static (char Left, char Right, char Top, char Bottom) For(SlicePlane plane) => plane switch
    {
        SlicePlane.Axial => ('R', 'L', 'A', 'P'),
        SlicePlane.Coronal => ('R', 'L', 'S', 'I'),
        SlicePlane.Sagittal => ('A', 'P', 'S', 'I'),
        _ => throw new ArgumentOutOfRangeException(nameof(plane)),
    };

    /// <summary>Draws the four letters in yellow with a black outline, scaled with the image.</summary>
    public static void Draw(byte[] rgb, int width, int height, SlicePlane plane)
    {
        var scale = Math.Max(1, Math.Min(width, height) / 128);
        var (gw, gh) = (5 * scale, 7 * scale);
        var margin = 2 * scale;
        if (width < 2 * (gw + 2 * margin) || height < 2 * (gh + 2 * margin)) return; // too small to label legibly
        var (left, right, top, bottom) = For(plane);
        Letter(rgb, width, left, margin, (height - gh) / 2, scale);
        Letter(rgb, width, right, width - margin - gw, (height - gh) / 2, scale);
        Letter(rgb, width, top, (width - gw) / 2, margin, scale);
        Letter(rgb, width, bottom, (width - gw) / 2, height - margin - gh, scale);
    }

    private static void Letter(byte[] rgb, int width, char letter, int x0, int y0, int scale)
    {
        var glyph = Glyphs[letter];
        for (var pass = 0; pass < 2; pass++)
            for (var gy = 0; gy < 7; gy++)
                for (var gx = 0; gx < 5; gx++)
                {
                    if (glyph[gy][gx] != '#') continue;
                    // Pass 0: the outline (the stroke grown by one scaled pixel) in black; pass 1: the stroke in yellow.
                    var grow = pass == 0 ? scale : 0;
                    for (var y = y0 + gy * scale - grow; y < y0 + (gy + 1) * scale + grow; y++)
                        for (var x = x0 + gx * scale - grow; x < x0 + (gx + 1) * scale + grow; x++)
                        {
                            var o = (y * width + x) * 3;
                            (rgb[o], rgb[o + 1], rgb[o + 2]) = pass == 0 ? ((byte)0, (byte)0, (byte)0) : ((byte)255, (byte)220, (byte)0);
                        }
                }
    }
}
