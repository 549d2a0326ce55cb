using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Volumes;

/// <summary>The reader against what nibabel 5.0 and MONAI's LoadImaged report for real third-party files.</summary>
public sealed class NiftiReaderTests
{
    public static TheoryData<string> ReaderCases =>
    [
        "anatomical.nii.json", "ch2.nii.gz.json", "ct5n.nii.gz.json", "ct_small.nii.gz.json",
        "derived__anatomical_hu_scaled.nii.json", "derived__anatomical_no_xform.nii.json",
        "derived__anatomical_pixdim_mismatch.nii.json", "derived__anatomical_qform_rot90.nii.json",
        "derived__ch2_block_pixdim_mismatch.nii.gz.json", "example4d.nii.gz.json", "example_nifti2.nii.gz.json",
        "reoriented_anat_moved.nii.json", "standard.nii.gz.json",
    ];

    [Theory]
    [MemberData(nameof(ReaderCases))]
    public void Read_MatchesNibabelAndMonai(string readerJson)
    {
        var expected = Fixtures.Json("ct-preprocessing/reader/" + readerJson);
        var path = Fixtures.Path("ct-preprocessing/" + expected.GetProperty("file").GetString());

        var image = NiftiReader.Read(path);

        Assert.Equal(expected.GetProperty("nifti_version").GetInt32(), image.Header.Version);
        Assert.Equal(expected.GetProperty("endianness").GetString() == "big", image.Header.BigEndian);
        var shape = expected.GetProperty("shape").Ints();
        Assert.Equal(shape.Take(3).Concat(Enumerable.Repeat(1, Math.Max(0, 3 - shape.Length))).Take(3), image.Volume.Shape);
        Assert.Equal(shape.Length > 3 ? shape[3] : 1, image.Volume.Channels);

        var monaiAffine = expected.GetProperty("monai_loadimage").GetProperty("affine").ToAffine();
        Assert.True(image.Volume.Affine.MaxAbsDifference(monaiAffine) <= 1e-9,
            $"affine {image.Volume.Affine} differs from MONAI's {monaiAffine}");

        // Probes are nibabel's float64 values; MONAI's loader rounds them once to float32.
        foreach (var (i, j, k, value) in expected.GetProperty("scaled_probes").Probes())
            Assert.Equal((float)value, image.Volume[i, j, k]);

        var stats = expected.GetProperty("scaled_stats_float64");
        var sum = image.Volume.Voxels.Sum(v => (double)v);
        var expectedSum = stats.GetProperty("sum").GetDouble();
        Assert.True(Math.Abs(sum - expectedSum) <= 1e-6 * Math.Abs(expectedSum) + 1e-6, $"sum {sum} vs {expectedSum}");
        Assert.Equal(stats.GetProperty("min").GetDouble(), image.Volume.Voxels.Min(), 5);
        Assert.Equal(stats.GetProperty("max").GetDouble(), image.Volume.Voxels.Max(), 5);
    }

    [Theory]
    [InlineData("derived__anatomical_pixdim_mismatch.nii.json", "sform's voxel sizes")]
    [InlineData("derived__ch2_block_pixdim_mismatch.nii.gz.json", "although qform_code is 0")]
    [InlineData("example4d.nii.gz.json", "2 volumes become 2 channels")]
    public void Read_WarnsAboutOddCases(string readerJson, string expectedWarning)
    {
        var expected = Fixtures.Json("ct-preprocessing/reader/" + readerJson);
        var path = Fixtures.Path("ct-preprocessing/" + expected.GetProperty("file").GetString());
        var logger = new RecordingLogger();

        var image = NiftiReader.Read(path, logger);

        Assert.Contains(image.Warnings, w => w.Contains(expectedWarning));
        Assert.Contains(logger.Messages, m => m.Contains(path) && m.Contains(expectedWarning));
    }

    [Fact]
    public void Read_ZeroPixdim_IsReadAsOneWithAWarning()
    {
        using var temp = new TempDirectory();
        var volume = new Volume([1, 2, 3, 4, 5, 6, 7, 8], 2, 2, 2, Affine.Diagonal(2, 2, 2));
        var path = temp.File("zero.nii");
        NiftiWriter.Write(volume, path);
        PatchSingle(path, 76 + 4 * 2, 0f); // pixdim[2] = 0 (sform still says 2 mm)

        var image = NiftiReader.Read(path);

        Assert.Contains(image.Warnings, w => w.Contains("reading 0 as 1"));
        // The sform (2 mm) now disagrees with pixdim (2, 1, 2), so the qform, built from pixdim, takes over as in MONAI.
        Assert.Equal(1.0, image.Volume.Affine.ColumnNorm(1), 12);
    }

    internal static void PatchSingle(string path, int offset, float value)
    {
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes(value).CopyTo(bytes, offset);
        File.WriteAllBytes(path, bytes);
    }
}
