namespace MerlinAdapt.Volumes;

/// <summary>
/// The voxel → world affine of a NIfTI header, as Merlin's loader (MONAI's NibabelReader on nibabel 5) computes it —
/// odd cases included, because the model was trained on exactly that geometry
/// (../shared/fixtures/ct-preprocessing/README.md, "Loader"):
/// nibabel's best affine (sform if sform_code &gt; 0, else qform if qform_code &gt; 0, else a pixdim-only fallback);
/// zero pixdims read as 1; and for files of up to 3 dimensions MONAI's switch from an sform whose column lengths
/// disagree with pixdim to the qform, even when qform_code is 0.
/// </summary>
public static class NiftiGeometry
{
    private const double Float32Epsilon = 1.1920928955078125e-07;

    public sealed record Result(Affine Affine, string Source, IReadOnlyList<string> Warnings);

    public static Result Resolve(NiftiHeader header, string path)
    {
        var warnings = new List<string>();
        var zooms = Zooms(header, warnings);
        var sform = SformMatrix(header);
        var qform = QformMatrix(header, zooms);

        Affine best;
        string source;
        if (header.SformCode != 0) (best, source) = (sform, "sform");
        else if (header.QformCode != 0) (best, source) = (qform ?? throw InvalidQuaternion(header, path), "qform");
        else (best, source) = (FallbackMatrix(header, zooms), "pixdim");

        var rank = Math.Clamp(header.Rank, 1, 3);
        if (header.Rank <= 3 && !ColumnsMatch(best, zooms, rank) && header.SformCode != 0
            && qform is not null && !ColumnsMatch(sform, zooms, rank) && ColumnsMatch(qform, zooms, rank))
        {
            warnings.Add($"the sform's voxel sizes ({FormatNorms(sform, rank)}) disagree with pixdim ({FormatZooms(zooms, rank)}); " +
                         $"using the qform{(header.QformCode == 0 ? " (although qform_code is 0)" : "")}, as MONAI does");
            (best, source) = (qform, "qform (sform disagrees with pixdim)");
        }
        return new Result(best, source, warnings);
    }

    /// <summary>pixdim[1..3] as nibabel reads them: 0 becomes 1, negative values their magnitude.</summary>
    internal static double[] Zooms(NiftiHeader header, List<string>? warnings = null)
    {
        var zooms = new double[3];
        var zeros = false;
        var negatives = false;
        for (var i = 0; i < 3; i++)
        {
            var p = header.PixDim[i + 1];
            if (p == 0 || !double.IsFinite(p)) { p = 1; zeros = true; }
            else if (p < 0) { p = -p; negatives = true; }
            zooms[i] = p;
        }
        if (zeros) warnings?.Add("pixdim[1,2,3] should be non-zero; reading 0 as 1 (as nibabel does)");
        if (negatives) warnings?.Add("pixdim[1,2,3] should be positive; using their magnitudes (as nibabel does)");
        return zooms;
    }

    private static Affine SformMatrix(NiftiHeader h) =>
        Affine.FromLinear([h.Srow[0], h.Srow[1], h.Srow[2], h.Srow[4], h.Srow[5], h.Srow[6], h.Srow[8], h.Srow[9], h.Srow[10]],
                          [h.Srow[3], h.Srow[7], h.Srow[11]]);

    /// <summary>
    /// The qform matrix, or null when the quaternion is invalid (b² + c² + d² clearly above 1). Computed in float64
    /// from the stored values, as nibabel does; that keeps the tiny off-diagonals a float32 quaternion leaves
    /// (6.8e-8 in derived/anatomical_qform_rot90.nii) identical to nibabel's.
    /// </summary>
    internal static Affine? QformMatrix(NiftiHeader h, double[] zooms)
    {
        double b = h.QuaternB, c = h.QuaternC, d = h.QuaternD;
        var w2 = 1.0 - (b * b + c * c + d * d);
        double a;
        if (w2 < 0)
        {
            // nibabel's threshold for NIfTI-1: three float32 epsilons.
            if (w2 < -3 * Float32Epsilon) return null;
            a = 0;
        }
        else a = Math.Sqrt(w2);

        var nq = a * a + b * b + c * c + d * d;
        double[] r;
        if (nq < 2.220446049250313e-16) r = [1, 0, 0, 0, 1, 0, 0, 0, 1];
        else
        {
            var s = 2.0 / nq;
            double x = b * s, y = c * s, z = d * s;
            double wx = a * x, wy = a * y, wz = a * z;
            double xx = b * x, xy = b * y, xz = b * z;
            double yy = c * y, yz = c * z, zz = d * z;
            r =
            [
                1.0 - (yy + zz), xy - wz, xz + wy,
                xy + wz, 1.0 - (xx + zz), yz - wx,
                xz - wy, yz + wx, 1.0 - (xx + yy),
            ];
        }
        var qfac = h.PixDim[0] == -1 ? -1.0 : 1.0; // nibabel resets any other qfac to 1
        double[] scale = [zooms[0], zooms[1], zooms[2] * qfac];
        var linear = new double[9];
        for (var row = 0; row < 3; row++)
            for (var col = 0; col < 3; col++) linear[row * 3 + col] = r[row * 3 + col] * scale[col];
        return Affine.FromLinear(linear, [h.QoffsetX, h.QoffsetY, h.QoffsetZ]);
    }

    /// <summary>nibabel's affine when neither qform nor sform is set: x flipped, centred on the volume.</summary>
    private static Affine FallbackMatrix(NiftiHeader h, double[] zooms)
    {
        var n = Enumerable.Range(1, 3).Select(i => i <= h.Rank ? (double)h.Dim[i] : 1.0).ToArray();
        double[] z = [-zooms[0], zooms[1], zooms[2]];
        return Affine.Diagonal(z[0], z[1], z[2],
            -(n[0] - 1) / 2.0 * z[0], -(n[1] - 1) / 2.0 * z[1], -(n[2] - 1) / 2.0 * z[2]);
    }

    /// <summary>numpy.allclose(column norms, zooms) over the first <paramref name="rank"/> axes.</summary>
    private static bool ColumnsMatch(Affine affine, double[] zooms, int rank)
    {
        for (var i = 0; i < rank; i++)
            if (!(Math.Abs(affine.ColumnNorm(i) - zooms[i]) <= 1e-8 + 1e-5 * Math.Abs(zooms[i]))) return false;
        return true;
    }

    private static InputException InvalidQuaternion(NiftiHeader h, string path) =>
        new(path, $"invalid qform quaternion (b, c, d) = ({h.QuaternB}, {h.QuaternC}, {h.QuaternD}): b² + c² + d² exceeds 1");

    private static string FormatNorms(Affine a, int rank) =>
        string.Join(", ", Enumerable.Range(0, rank).Select(i => a.ColumnNorm(i).ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)));

    private static string FormatZooms(double[] z, int rank) =>
        string.Join(", ", z.Take(rank).Select(v => v.ToString("0.####", System.Globalization.CultureInfo.InvariantCulture)));
}
