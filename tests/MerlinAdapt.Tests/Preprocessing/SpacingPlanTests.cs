using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Preprocessing;

public sealed class SpacingPlanTests
{
    /// <summary>Every row of tables/spacing_geometry.json: MONAI's output shape, affine and whether it resampled.</summary>
    [Fact]
    public void For_MatchesMonaiSpacingGeometryTable()
    {
        var rows = Fixtures.Json("ct-preprocessing/tables/spacing_geometry.json").GetProperty("rows").EnumerateArray().ToList();
        Assert.NotEmpty(rows);
        foreach (var row in rows)
        {
            var plan = SpacingPlan.For(row.GetProperty("input_shape").Ints(), row.GetProperty("input_affine").ToAffine(),
                row.GetProperty("pixdim").Doubles());
            var note = row.GetProperty("note").GetString();
            Assert.True(row.GetProperty("output_shape").Ints().SequenceEqual(plan.Shape), $"{note}: shape {string.Join(",", plan.Shape)}");
            Assert.True(plan.Affine.MaxAbsDifference(row.GetProperty("output_affine").ToAffine()) <= 1e-9, $"{note}: affine {plan.Affine}");
            Assert.Equal(row.GetProperty("data_returned_unchanged").GetBoolean(), !plan.Resample);
        }
    }

    [Fact]
    public void For_NonPositiveTarget_KeepsThatAxisSpacing()
    {
        var plan = SpacingPlan.For([10, 10, 10], Affine.Diagonal(0.5, 0.5, 2.5), [1.0, 0, -1]);
        Assert.Equal(1.0, plan.Affine.ColumnNorm(0), 12);
        Assert.Equal(0.5, plan.Affine.ColumnNorm(1), 12);
        Assert.Equal(2.5, plan.Affine.ColumnNorm(2), 12);
        Assert.Equal([6, 10, 10], plan.Shape); // 9·0.5/1 + 1 = 5.5, rounded half to even
    }
}
