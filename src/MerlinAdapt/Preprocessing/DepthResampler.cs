using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// The paper's code's depth handling (hcc-merlin-reference.md §2.1, step 5): the slice axis (Z) linearly resampled
/// to exactly <c>depth</c> slices with align_corners=True — output slice k samples input slice k·(n − 1)/(depth − 1) —
/// instead of Merlin's pad/crop. First and last slices coincide with the input's; the Z column of the affine stretches.
/// </summary>
public sealed class DepthResampler(int depth)
{
    public int Depth { get; } = depth > 0 ? depth : throw new ArgumentOutOfRangeException(nameof(depth));

    public Volume Apply(Volume volume)
    {
        var n = volume.SizeZ;
        if (n == Depth) return volume;
        var sliceLength = volume.SizeX * volume.SizeY;
        var output = new float[sliceLength * Depth * volume.Channels];
        var step = Depth > 1 ? (n - 1) / (double)(Depth - 1) : 0;
        Parallel.For(0, Depth * volume.Channels, slice =>
        {
            var channel = slice / Depth;
            var k = slice % Depth;
            var p = Math.Min(k * step, n - 1);
            var lower = (int)Math.Floor(p);
            var fraction = p - lower;
            var upper = Math.Min(lower + 1, n - 1);
            var src = volume.Channel(channel);
            var a = src.Slice(lower * sliceLength, sliceLength);
            var b = src.Slice(upper * sliceLength, sliceLength);
            var dst = output.AsSpan((channel * Depth + k) * sliceLength, sliceLength);
            for (var i = 0; i < sliceLength; i++)
                dst[i] = fraction == 0 ? a[i] : (float)((1 - fraction) * a[i] + fraction * b[i]);
        });
        // One input slice stretched over several keeps its nominal thickness, so the affine stays invertible.
        var scale = n > 1 && Depth > 1 ? step : 1;
        var linear = volume.Affine.Linear();
        for (var r = 0; r < 3; r++) linear[r * 3 + 2] *= scale;
        var affine = Affine.FromLinear(linear, volume.Affine.Translation());
        return new Volume(output, volume.SizeX, volume.SizeY, Depth, affine, volume.Channels);
    }
}
