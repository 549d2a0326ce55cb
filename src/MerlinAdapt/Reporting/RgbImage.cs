using System.Runtime.InteropServices;
using SkiaSharp;

namespace MerlinAdapt.Reporting;

/// <summary>An 8-bit RGB raster, row-major from the top-left, kept as plain bytes so tests can read what a PNG shows.</summary>
public sealed record RgbImage(int Width, int Height, byte[] Pixels)
{
    public (byte R, byte G, byte B) this[int row, int column]
    {
        get
        {
            var o = (row * Width + column) * 3;
            return (Pixels[o], Pixels[o + 1], Pixels[o + 2]);
        }
    }

    /// <summary>Writes the image as PNG, atomically.</summary>
    public void SavePng(string path)
    {
        using var bitmap = new SKBitmap(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Opaque));
        var rgba = new byte[Width * Height * 4];
        for (var p = 0; p < Width * Height; p++)
        {
            rgba[4 * p] = Pixels[3 * p];
            rgba[4 * p + 1] = Pixels[3 * p + 1];
            rgba[4 * p + 2] = Pixels[3 * p + 2];
            rgba[4 * p + 3] = 255;
        }
        // Row by row: Skia may pad rows beyond Width × 4 bytes.
        var pixels = bitmap.GetPixels();
        for (var row = 0; row < Height; row++)
            Marshal.Copy(rgba, row * Width * 4, pixels + row * bitmap.RowBytes, Width * 4);
        using var data = bitmap.Encode(SKEncodedImageFormat.Png, 100);
        AtomicFile.Write(path, stream => data.SaveTo(stream));
    }
}
