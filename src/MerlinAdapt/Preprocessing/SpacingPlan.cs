using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// Where MONAI's Spacingd (diagonal=False, scale_extent=False) puts the output grid
/// (fixture README, "Spacing"; tables/spacing_geometry.json):
/// directions kept (the Q factor of the input's 3×3 part times the target spacing); shape = the input's corner
/// voxel centres measured in output voxels, extent + 1, rounded half to even; voxel 0 of the output on the input
/// corner that is smallest along every output axis (voxel 0 for any unsheared grid); and no resampling at all when
/// the new affine is within 1e-3 of the old one, element by element, and the shape is unchanged.
/// </summary>
public sealed record SpacingPlan(int[] Shape, Affine Affine, bool Resample)
{
    private const double AffineTolerance = 1e-3; // MONAI's AFFINE_TOL

    /// <param name="pixdim">Target spacing in mm per axis; a value ≤ 0 keeps that axis's current spacing.</param>
    public static SpacingPlan For(int[] shape, Affine input, IReadOnlyList<double> pixdim)
    {
        var current = input.Spacing();
        var target = new double[3];
        for (var axis = 0; axis < 3; axis++) target[axis] = pixdim[axis] > 0 ? pixdim[axis] : current[axis];

        var rotation = RotationOf(input.Linear());
        var linear = new double[9];
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++) linear[r * 3 + c] = rotation[r * 3 + c] * target[c];
        var t = input.Translation();
        var output = Affine.FromLinear(linear, t);

        // The input's 8 corner voxel centres in output voxel units (meshgrid "ij" order: x slowest).
        var toOutput = output.Inverse().Multiply(input);
        var corners = new List<double[]>();
        foreach (var i in new[] { 0.0, shape[0] - 1.0 })
            foreach (var j in new[] { 0.0, shape[1] - 1.0 })
                foreach (var k in new[] { 0.0, shape[2] - 1.0 })
                {
                    var (x, y, z) = toOutput.Apply(i, j, k);
                    corners.Add([x, y, z, i, j, k]);
                }
        var outShape = new int[3];
        for (var axis = 0; axis < 3; axis++)
        {
            var extent = corners.Max(c => c[axis]) - corners.Min(c => c[axis]);
            outShape[axis] = (int)Math.Round(extent + 1.0, MidpointRounding.ToEven);
        }

        // Output voxel 0 goes to the first corner that is (within 1e-8) the minimum along every output axis.
        var origin = corners[0];
        foreach (var candidate in corners)
        {
            var isMinimum = true;
            for (var axis = 0; axis < 3 && isMinimum; axis++)
                isMinimum = corners.Min(c => c[axis] - candidate[axis]) >= -1e-8;
            if (isMinimum) { origin = candidate; break; }
        }
        var (ox, oy, oz) = input.Apply(origin[3], origin[4], origin[5]);
        output = output.WithTranslation(ox, oy, oz);

        var unchanged = outShape.SequenceEqual(shape) && output.MaxAbsDifference(input) <= AffineTolerance;
        return unchanged ? new SpacingPlan(shape.ToArray(), input, false) : new SpacingPlan(outShape, output, true);
    }

    /// <summary>L·U⁻¹ with U the Cholesky factor of LᵀL (MONAI's zoom_affine): Gram–Schmidt on the columns x, y, z.</summary>
    private static double[] RotationOf(double[] l)
    {
        var g = new double[9];
        for (var a = 0; a < 3; a++)
            for (var b = 0; b < 3; b++)
                g[a * 3 + b] = l[a] * l[b] + l[3 + a] * l[3 + b] + l[6 + a] * l[6 + b];
        // Upper-triangular U with UᵀU = G.
        var u = new double[9];
        u[0] = Math.Sqrt(g[0]);
        u[1] = g[1] / u[0];
        u[2] = g[2] / u[0];
        u[4] = Math.Sqrt(g[4] - u[1] * u[1]);
        u[5] = (g[5] - u[1] * u[2]) / u[4];
        u[8] = Math.Sqrt(g[8] - u[2] * u[2] - u[5] * u[5]);
        // U⁻¹ (upper triangular).
        var ui = new double[9];
        ui[0] = 1 / u[0];
        ui[4] = 1 / u[4];
        ui[8] = 1 / u[8];
        ui[1] = -u[1] * ui[4] / u[0];
        ui[5] = -u[5] * ui[8] / u[4];
        ui[2] = -(u[1] * ui[5] + u[2] * ui[8]) / u[0];
        var rotation = new double[9];
        for (var r = 0; r < 3; r++)
            for (var c = 0; c < 3; c++)
                rotation[r * 3 + c] = l[r * 3] * ui[c] + l[r * 3 + 1] * ui[3 + c] + l[r * 3 + 2] * ui[6 + c];
        return rotation;
    }
}
