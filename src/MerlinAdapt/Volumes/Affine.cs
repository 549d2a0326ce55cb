namespace MerlinAdapt.Volumes;

/// <summary>
/// A 4×4 voxel-index → world (RAS+ mm) matrix, as nibabel and MONAI report it: world = A·[i, j, k, 1]ᵀ is the centre
/// of voxel (i, j, k). Immutable; row-major.
/// </summary>
public sealed class Affine : IEquatable<Affine>
{
    private readonly double[] _m; // row-major 4×4

    private Affine(double[] m) => _m = m;

    public static Affine Identity { get; } = Diagonal(1, 1, 1);

    public double this[int row, int column] => _m[row * 4 + column];

    public static Affine FromRows(double[,] rows)
    {
        if (rows.GetLength(0) != 4 || rows.GetLength(1) != 4) throw new ArgumentException("an affine is 4×4", nameof(rows));
        var m = new double[16];
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 4; c++) m[r * 4 + c] = rows[r, c];
        return new Affine(m);
    }

    public static Affine FromRows(IReadOnlyList<IReadOnlyList<double>> rows)
    {
        var m = new double[16];
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 4; c++) m[r * 4 + c] = rows[r][c];
        return new Affine(m);
    }

    /// <summary>An affine from its 3×3 linear part (row-major, 9 values) and its translation.</summary>
    public static Affine FromLinear(ReadOnlySpan<double> linear, ReadOnlySpan<double> translation)
    {
        var m = new double[16];
        for (var r = 0; r < 3; r++)
        {
            for (var c = 0; c < 3; c++) m[r * 4 + c] = linear[r * 3 + c];
            m[r * 4 + 3] = translation[r];
        }
        m[15] = 1;
        return new Affine(m);
    }

    public static Affine Diagonal(double x, double y, double z, double ox = 0, double oy = 0, double oz = 0) =>
        FromLinear([x, 0, 0, 0, y, 0, 0, 0, z], [ox, oy, oz]);

    public double[,] ToRows()
    {
        var rows = new double[4, 4];
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 4; c++) rows[r, c] = _m[r * 4 + c];
        return rows;
    }

    public double[][] ToJaggedRows() =>
        Enumerable.Range(0, 4).Select(r => Enumerable.Range(0, 4).Select(c => _m[r * 4 + c]).ToArray()).ToArray();

    /// <summary>The 3×3 linear part, row-major.</summary>
    public double[] Linear() => [_m[0], _m[1], _m[2], _m[4], _m[5], _m[6], _m[8], _m[9], _m[10]];

    public double[] Translation() => [_m[3], _m[7], _m[11]];

    /// <summary>Length of column <paramref name="axis"/> of the 3×3 part: the voxel spacing along that index axis.</summary>
    public double ColumnNorm(int axis) =>
        Math.Sqrt(_m[axis] * _m[axis] + _m[4 + axis] * _m[4 + axis] + _m[8 + axis] * _m[8 + axis]);

    public double[] Spacing() => [ColumnNorm(0), ColumnNorm(1), ColumnNorm(2)];

    /// <summary>The world position of a (possibly fractional) voxel index.</summary>
    public (double X, double Y, double Z) Apply(double i, double j, double k) =>
        (_m[0] * i + _m[1] * j + _m[2] * k + _m[3],
         _m[4] * i + _m[5] * j + _m[6] * k + _m[7],
         _m[8] * i + _m[9] * j + _m[10] * k + _m[11]);

    public Affine Multiply(Affine right)
    {
        var m = new double[16];
        for (var r = 0; r < 4; r++)
            for (var c = 0; c < 4; c++)
            {
                double s = 0;
                for (var k = 0; k < 4; k++) s += _m[r * 4 + k] * right._m[k * 4 + c];
                m[r * 4 + c] = s;
            }
        return new Affine(m);
    }

    /// <summary>The inverse; throws when the 3×3 part is singular.</summary>
    public Affine Inverse()
    {
        var a = Linear();
        var det = Determinant3(a);
        if (det == 0 || !double.IsFinite(det)) throw new InvalidOperationException("affine is singular");
        var inv = new double[9];
        inv[0] = (a[4] * a[8] - a[5] * a[7]) / det;
        inv[1] = (a[2] * a[7] - a[1] * a[8]) / det;
        inv[2] = (a[1] * a[5] - a[2] * a[4]) / det;
        inv[3] = (a[5] * a[6] - a[3] * a[8]) / det;
        inv[4] = (a[0] * a[8] - a[2] * a[6]) / det;
        inv[5] = (a[2] * a[3] - a[0] * a[5]) / det;
        inv[6] = (a[3] * a[7] - a[4] * a[6]) / det;
        inv[7] = (a[1] * a[6] - a[0] * a[7]) / det;
        inv[8] = (a[0] * a[4] - a[1] * a[3]) / det;
        var t = Translation();
        double[] it =
        [
            -(inv[0] * t[0] + inv[1] * t[1] + inv[2] * t[2]),
            -(inv[3] * t[0] + inv[4] * t[1] + inv[5] * t[2]),
            -(inv[6] * t[0] + inv[7] * t[1] + inv[8] * t[2]),
        ];
        return FromLinear(inv, it);
    }

    public double Determinant() => Determinant3(Linear());

    /// <summary>The same linear part with a new translation.</summary>
    public Affine WithTranslation(double x, double y, double z)
    {
        var m = (double[])_m.Clone();
        m[3] = x; m[7] = y; m[11] = z;
        return new Affine(m);
    }

    /// <summary>The affine of a grid whose voxel 0 sits at voxel <paramref name="offset"/> of this grid.</summary>
    public Affine Shifted(double di, double dj, double dk)
    {
        var (x, y, z) = Apply(di, dj, dk);
        return WithTranslation(x, y, z);
    }

    public bool IsClose(Affine other, double atol, double rtol = 1e-5)
    {
        for (var i = 0; i < 16; i++)
            if (!(Math.Abs(_m[i] - other._m[i]) <= atol + rtol * Math.Abs(other._m[i]))) return false;
        return true;
    }

    public double MaxAbsDifference(Affine other)
    {
        double max = 0;
        for (var i = 0; i < 16; i++) max = Math.Max(max, Math.Abs(_m[i] - other._m[i]));
        return max;
    }

    public bool Equals(Affine? other) => other is not null && _m.AsSpan().SequenceEqual(other._m);

    public override bool Equals(object? obj) => Equals(obj as Affine);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var v in _m) hash.Add(v);
        return hash.ToHashCode();
    }

    public override string ToString() =>
        "[" + string.Join("; ", Enumerable.Range(0, 4).Select(r =>
            string.Join(", ", Enumerable.Range(0, 4).Select(c => _m[r * 4 + c].ToString("G6", System.Globalization.CultureInfo.InvariantCulture))))) + "]";

    private static double Determinant3(double[] a) =>
        a[0] * (a[4] * a[8] - a[5] * a[7]) - a[1] * (a[3] * a[8] - a[5] * a[6]) + a[2] * (a[3] * a[7] - a[4] * a[6]);
}
