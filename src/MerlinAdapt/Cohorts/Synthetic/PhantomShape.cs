namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// An ellipsoid of one tissue in patient world coordinates (RAS+ mm, origin at the body centre); a radius of
/// <see cref="double.PositiveInfinity"/> along Z makes an elliptic cylinder (body wall, aorta, spine).
/// Later shapes paint over earlier ones.
/// </summary>
public sealed record PhantomShape(string Name, double X, double Y, double Z, double RadiusX, double RadiusY, double RadiusZ, double Hu)
{
    public bool Contains(double x, double y, double z)
    {
        var dx = (x - X) / RadiusX;
        var dy = (y - Y) / RadiusY;
        var dz = double.IsPositiveInfinity(RadiusZ) ? 0 : (z - Z) / RadiusZ;
        return dx * dx + dy * dy + dz * dz <= 1;
    }

    public bool SpansZ(double z) => double.IsPositiveInfinity(RadiusZ) || Math.Abs(z - Z) <= RadiusZ;

    public bool SpansY(double y) => Math.Abs(y - Y) <= RadiusY;
}
