namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// One patient's liver as an ellipsoid (RAS+ mm, from <see cref="AbdomenPhantom"/>'s liver, scaled): where lesions may
/// go so that they lie wholly inside it and inside the scanned field of view, and which Couinaud segment a point is in.
/// </summary>
public sealed record SyntheticLiver(double X, double Y, double Z, double RadiusX, double RadiusY, double RadiusZ)
{
    /// <summary>The phantom's liver scaled about its centre (cirrhosis shrinks it; habitus varies it by a few %).</summary>
    public static SyntheticLiver Scaled(double scale)
    {
        var liver = AbdomenPhantom.Shapes().Single(s => s.Name == "liver");
        return new SyntheticLiver(liver.X, liver.Y, liver.Z, liver.RadiusX * scale, liver.RadiusY * scale, liver.RadiusZ * scale);
    }

    /// <summary>
    /// Couinaud segment of a point, by the usual planes simplified to axis-aligned cuts of the phantom: the left lateral
    /// section (2 above, 3 below the portal plane), segment 4 and the caudate (1) medially, the right anterior (8 above,
    /// 5 below) and posterior (7, 6) sections laterally.
    /// </summary>
    public int Segment(double x, double y, double z)
    {
        var above = z >= Z;
        if (x < X - 47) return above ? 2 : 3;
        if (x < X - 17) return y < Y - 35 ? 1 : 4;
        if (y >= Y) return above ? 8 : 5;
        return above ? 7 : 6;
    }

    /// <summary>
    /// A centre for a sphere of <paramref name="radius"/> (plus <paramref name="margin"/>) wholly inside the liver and
    /// the field of view (<paramref name="halfExtent"/>, mm either side of the body centre), clear of
    /// <paramref name="others"/>; null when 400 random tries found none.
    /// </summary>
    public (double X, double Y, double Z)? Place(double radius, double margin, double[] halfExtent,
        IReadOnlyList<LiverFinding> others, Random random)
    {
        var reach = radius + margin;
        for (var attempt = 0; attempt < 400; attempt++)
        {
            var (ux, uy, uz) = (2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1, 2 * random.NextDouble() - 1);
            if (ux * ux + uy * uy + uz * uz > 1) continue;
            var (x, y, z) = (X + ux * RadiusX, Y + uy * RadiusY, Z + uz * RadiusZ);
            if (!Holds(x, y, z, reach)) continue;
            if (Math.Abs(x) > halfExtent[0] - reach || Math.Abs(y) > halfExtent[1] - reach || Math.Abs(z) > halfExtent[2] - reach) continue;
            if (others.Any(o => Distance(o, x, y, z) < o.RadiusMm + reach + 4)) continue;
            return (x, y, z);
        }
        return null;
    }

    /// <summary>Whether a sphere lies inside the ellipsoid: its six extreme points do (exact enough for these shapes).</summary>
    private bool Holds(double x, double y, double z, double r) =>
        Inside(x + r, y, z) && Inside(x - r, y, z) && Inside(x, y + r, z) && Inside(x, y - r, z) && Inside(x, y, z + r) && Inside(x, y, z - r);

    private bool Inside(double x, double y, double z)
    {
        var (dx, dy, dz) = ((x - X) / RadiusX, (y - Y) / RadiusY, (z - Z) / RadiusZ);
        return dx * dx + dy * dy + dz * dz <= 1;
    }

    private static double Distance(LiverFinding o, double x, double y, double z) =>
        Math.Sqrt((o.X - x) * (o.X - x) + (o.Y - y) * (o.Y - y) + (o.Z - z) * (o.Z - z));
}
