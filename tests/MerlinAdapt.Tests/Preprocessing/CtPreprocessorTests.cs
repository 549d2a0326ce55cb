using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Preprocessing;

/// <summary>
/// The whole pipeline, through the code `preprocess` runs, against the real MONAI 1.3 outputs stage by stage, with
/// the tolerances the fixture README gives: orientation bit-exact; spacing |Δ| ≤ 1e-3 + 1e-6·|golden| HU;
/// final |Δ| ≤ 1e-6; affines ≤ 1e-9; shapes exact.
/// </summary>
public sealed class CtPreprocessorTests
{
    public static TheoryData<string> GoldenCases =>
    [
        "anatomical_hu_scaled_small", "anatomical_qform_rot90_small", "anatomical_small", "ch2_block_pixdim_mismatch_small",
        "ch2_merlin", "ct5n_merlin", "ct_small_merlin", "example4d_small",
    ];

    [Theory]
    [MemberData(nameof(GoldenCases))]
    public void Process_MatchesMonai_AtEveryStage(string name)
    {
        var golden = MonaiGoldenCase.Load(name);
        var scan = new VolumeLoader().Load(golden.InputPath);
        var stages = new Dictionary<PreprocessingStage, Volume>();

        new CtPreprocessor(golden.Options).Process(scan.Volume, (stage, v) => stages[stage] = v);

        if (golden.Stage("stage1_orientation") is { } orientation)
        {
            AssertGeometry(orientation, stages[PreprocessingStage.Orientation], "orientation");
            Assert.True(orientation.Volume.Voxels.AsSpan().SequenceEqual(stages[PreprocessingStage.Orientation].Voxels),
                "orientation must be bit-exact");
        }
        if (golden.Stage("stage2_spacing") is { } spacing)
        {
            AssertGeometry(spacing, stages[PreprocessingStage.Spacing], "spacing");
            AssertClose(spacing.Volume.Voxels, stages[PreprocessingStage.Spacing].Voxels, 1e-3, 1e-6, "spacing");
        }
        var final = golden.Stage("")!.Value;
        AssertGeometry(final, stages[PreprocessingStage.Final], "final");
        AssertClose(final.Volume.Voxels, stages[PreprocessingStage.Final].Voxels, 1e-6, 0, "final");
        foreach (var (i, j, k, value) in golden.Json.GetProperty("probes_channel0").Probes())
            Assert.True(Math.Abs(stages[PreprocessingStage.Final][i, j, k] - value) <= 1e-6, $"probe ({i},{j},{k})");
    }

    [Fact]
    public void Process_DicomFolder_GivesWhatTheConvertedNiftiGives()
    {
        Fixtures.RequireTool("dcm2niix");
        var golden = MonaiGoldenCase.Load("ct5n_merlin");
        var preprocessor = new CtPreprocessor(golden.Options);

        var fromDicom = preprocessor.Process(new VolumeLoader().Load(Fixtures.Path("dicom/ct5n")).Volume);
        var fromNifti = preprocessor.Process(new VolumeLoader().Load(golden.InputPath).Volume);

        Assert.Equal(fromNifti.Affine, fromDicom.Affine);
        Assert.True(fromNifti.Voxels.AsSpan().SequenceEqual(fromDicom.Voxels));
        AssertClose(golden.Stage("")!.Value.Volume.Voxels, fromDicom.Voxels, 1e-6, 0, "final");
    }

    private static void AssertGeometry((Volume Volume, Affine Affine, int[] Shape) golden, Volume actual, string stage)
    {
        Assert.Equal(golden.Shape, new[] { actual.Channels }.Concat(actual.Shape));
        Assert.True(actual.Affine.MaxAbsDifference(golden.Affine) <= 1e-9, $"{stage} affine {actual.Affine} vs MONAI {golden.Affine}");
    }

    internal static void AssertClose(float[] expected, float[] actual, double atol, double rtol, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        var worst = 0.0;
        var worstAt = -1;
        for (var i = 0; i < expected.Length; i++)
        {
            if (float.IsNaN(expected[i]) || float.IsNaN(actual[i]))
            {
                Assert.True(float.IsNaN(expected[i]) && float.IsNaN(actual[i]), $"{what}: NaN mismatch at {i}");
                continue;
            }
            var excess = Math.Abs(expected[i] - actual[i]) - (atol + rtol * Math.Abs(expected[i]));
            if (excess > worst) (worst, worstAt) = (excess, i);
        }
        Assert.True(worstAt < 0, worstAt < 0 ? "" : $"{what}: voxel {worstAt} is {actual[worstAt]}, MONAI {expected[worstAt]}");
    }
}
