using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Volumes;

/// <summary>Writer → reader round trips over every datatype, both byte orders, both NIfTI versions, plain and gzip.</summary>
public sealed class NiftiWriterTests
{
    public static TheoryData<NiftiDataType, bool, int, bool> Matrix()
    {
        var data = new TheoryData<NiftiDataType, bool, int, bool>();
        foreach (var type in Enum.GetValues<NiftiDataType>())
            foreach (var bigEndian in new[] { false, true })
                foreach (var version in new[] { 1, 2 })
                    data.Add(type, bigEndian, version, type == NiftiDataType.Int16);
        data.Add(NiftiDataType.Float32, false, 1, true);
        data.Add(NiftiDataType.Float32, true, 2, true);
        return data;
    }

    [Theory]
    [MemberData(nameof(Matrix))]
    public void WriteThenRead_RoundTrips(NiftiDataType type, bool bigEndian, int version, bool gzip)
    {
        using var temp = new TempDirectory();
        var path = temp.File(gzip ? "v.nii.gz" : "v.nii");
        // Values every datatype holds exactly (uint8 and int8 overlap in 0..127).
        var voxels = Enumerable.Range(0, 4 * 3 * 2).Select(i => (float)(i * 5 % 127)).ToArray();
        var affine = Affine.FromLinear([0, -0.8, 0, -0.8, 0, 0, 0, 0, 2.5], [10.5, -20.25, 30]);
        var volume = new Volume(voxels, 4, 3, 2, affine);

        NiftiWriter.Write(volume, path, new NiftiWriteOptions { DataType = type, BigEndian = bigEndian, Version = version });
        var image = NiftiReader.Read(path);

        Assert.Equal(version, image.Header.Version);
        Assert.Equal(bigEndian, image.Header.BigEndian);
        Assert.Equal(type, image.DataType);
        Assert.Equal(voxels, image.Volume.Voxels);
        Assert.True(image.Volume.Affine.MaxAbsDifference(affine) < 1e-5, image.Volume.Affine.ToString());
    }

    [Fact]
    public void Write_ScaledUInt16_StaysWithinHalfAStep()
    {
        using var temp = new TempDirectory();
        var path = temp.File("scaled.nii.gz");
        var voxels = Enumerable.Range(0, 1000).Select(i => i / 999f).ToArray();
        var options = new NiftiWriteOptions { DataType = NiftiDataType.UInt16, Slope = 1.0 / 65535 };

        NiftiWriter.Write(new Volume(voxels, 10, 10, 10, Affine.Identity), path, options);
        var read = NiftiReader.Read(path).Volume.Voxels;

        for (var i = 0; i < voxels.Length; i++) Assert.True(Math.Abs(read[i] - voxels[i]) <= 0.5 / 65535 + 1e-7);
    }

    [Fact]
    public void Write_FourDimensional_StoresChannelsInDim4()
    {
        using var temp = new TempDirectory();
        var path = temp.File("4d.nii");
        var volume = new Volume(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), 2, 2, 2, Affine.Identity, channels: 2);

        NiftiWriter.Write(volume, path);
        var image = NiftiReader.Read(path);

        Assert.Equal(4, image.Header.Rank);
        Assert.Equal(2, image.Volume.Channels);
        Assert.Equal(volume.Voxels, image.Volume.Voxels);
    }

    [Fact]
    public void Quaternion_OfRealQform_ReproducesItsAffine()
    {
        var expected = Fixtures.Json("ct-preprocessing/reader/derived__anatomical_qform_rot90.nii.json");
        var qform = expected.GetProperty("qform_matrix_nibabel").ToAffine();

        var (b, c, d, qfac) = NiftiWriter.Quaternion(qform);

        var bcd = expected.GetProperty("quatern_bcd").Doubles();
        Assert.Equal(bcd[0], b, 6);
        Assert.Equal(bcd[1], c, 6);
        Assert.Equal(bcd[2], d, 6);
        Assert.Equal(expected.GetProperty("qfac_pixdim0").GetDouble(), qfac);
    }
}
