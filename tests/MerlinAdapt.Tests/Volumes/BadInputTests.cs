using System.IO.Compression;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Volumes;

/// <summary>Every kind of bad input ends in one clear <see cref="InputException"/> naming the file — never garbage.</summary>
public sealed class BadInputTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private string WriteValid(string name, Volume? volume = null, NiftiWriteOptions? options = null)
    {
        var path = _temp.File(name);
        NiftiWriter.Write(volume ?? new Volume(Enumerable.Range(0, 1000).Select(i => (float)i).ToArray(), 10, 10, 10, Affine.Identity), path,
            options ?? new NiftiWriteOptions { DataType = NiftiDataType.Int16 });
        return path;
    }

    private static InputException Fails(string path, VolumeLoadOptions? options = null) =>
        Assert.Throws<InputException>(() => new VolumeLoader().Load(path, options));

    private static void AssertNames(InputException e, string path, string problem)
    {
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void TruncatedGzip_IsReported()
    {
        var path = WriteValid("t.nii.gz");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length * 2 / 3)]);
        AssertNames(Fails(path), path, "truncated");
    }

    [Fact]
    public void GzipMissingOnlyItsTrailer_IsReported()
    {
        var path = WriteValid("trailer.nii.gz");
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..^4]); // the data is all there, the length/CRC trailer is not
        Assert.Contains("gzip", Fails(path).Message);
    }

    [Fact]
    public void CorruptGzip_IsReported()
    {
        var path = WriteValid("c.nii.gz");
        var bytes = File.ReadAllBytes(path);
        for (var i = 40; i < bytes.Length - 20; i += 7) bytes[i] ^= 0x5A;
        File.WriteAllBytes(path, bytes);
        var e = Fails(path);
        Assert.Equal(path, e.Path);
        Assert.Matches("corrupt gzip|truncated|not a NIfTI|magic", e.Message);
    }

    [Fact]
    public void WrongMagic_IsReported()
    {
        var path = WriteValid("m.nii");
        var bytes = File.ReadAllBytes(path);
        "xyz"u8.CopyTo(bytes.AsSpan(344));
        File.WriteAllBytes(path, bytes);
        AssertNames(Fails(path), path, "bad NIfTI-1 magic \"xyz\"");
    }

    [Fact]
    public void NotNifti_IsReported()
    {
        var path = _temp.File("notes.nii");
        File.WriteAllText(path, "this is not an image, but it is long enough to hold a header-sized amount of text");
        AssertNames(Fails(path), path, "not a NIfTI file");
    }

    [Fact]
    public void DimsPromisingMoreThanTheFileHolds_IsReported()
    {
        var path = WriteValid("d.nii");
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes((short)20).CopyTo(bytes, 46); // dim[3] 10 → 20
        File.WriteAllBytes(path, bytes);
        AssertNames(Fails(path), path, "dims promise 4352 bytes (352 header + 4000 voxel data) but the file holds 2352");
    }

    [Fact]
    public void DimsPromisingMoreThanTheGzipHolds_IsReported()
    {
        var path = WriteValid("d.nii");
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes((short)20).CopyTo(bytes, 46);
        var gz = path + ".gz";
        using (var file = File.Create(gz))
        using (var zip = new GZipStream(file, CompressionLevel.Fastest)) zip.Write(bytes);
        AssertNames(Fails(gz), gz, "truncated: expected 4000 bytes of voxel data, got 2000");
    }

    [Fact]
    public void UnknownDatatype_IsReported()
    {
        var path = WriteValid("u.nii");
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes((short)32).CopyTo(bytes, 70); // complex64
        File.WriteAllBytes(path, bytes);
        AssertNames(Fails(path), path, "unsupported NIfTI datatype 32 (complex64)");
    }

    [Fact]
    public void ZeroDimension_IsReported()
    {
        var path = WriteValid("z.nii");
        var bytes = File.ReadAllBytes(path);
        BitConverter.GetBytes((short)0).CopyTo(bytes, 44);
        File.WriteAllBytes(path, bytes);
        AssertNames(Fails(path), path, "dim[2] = 0");
    }

    [Fact]
    public void ShearedAffine_IsRefusedWithThePolicy()
    {
        var sheared = Affine.FromLinear([1, 0, 0, 0, 1, 0.2, 0, 0, 1], [0, 0, 0]); // 11.3° gantry-tilt-like shear
        var path = WriteValid("s.nii", new Volume(new float[8], 2, 2, 2, sheared));
        AssertNames(Fails(path), path, "not orthogonal (sheared by 11.31°");
    }

    [Fact]
    public void SingularAffine_IsRefused()
    {
        // Two parallel unit columns: lengths agree with pixdim, so no qform fallback rescues the file.
        var path = WriteValid("sing.nii", new Volume(new float[8], 2, 2, 2, Affine.FromLinear([1, 1, 0, 0, 0, 0, 0, 0, 1], [0, 0, 0])));
        AssertNames(Fails(path), path, "singular");
    }

    [Fact]
    public void NaNVoxels_AreAnErrorByDefault_AndPassWithAllowNan()
    {
        var voxels = new float[27];
        voxels[13] = float.NaN;
        voxels[3] = float.PositiveInfinity;
        var path = WriteValid("nan.nii", new Volume(voxels, 3, 3, 3, Affine.Identity), new NiftiWriteOptions());

        AssertNames(Fails(path), path, "2 voxel(s) are NaN or infinite");
        var loaded = new VolumeLoader().Load(path, new VolumeLoadOptions { AllowNan = true });
        Assert.True(float.IsNaN(loaded.Volume[1, 1, 1]));
        Assert.Contains(loaded.Warnings, w => w.Contains("--allow-nan"));
    }

    [Fact]
    public void MultiVolumeFile_NeedsVolumeIndexWhereOneVolumeIsRequired()
    {
        var path = WriteValid("4d.nii", new Volume(Enumerable.Range(0, 16).Select(i => (float)i).ToArray(), 2, 2, 2, Affine.Identity, 2));

        AssertNames(Fails(path, new VolumeLoadOptions { RequireSingleVolume = true }), path, "pick one with --volume N (0–1)");
        var second = new VolumeLoader().Load(path, new VolumeLoadOptions { RequireSingleVolume = true, VolumeIndex = 1 });
        Assert.Equal(1, second.Volume.Channels);
        Assert.Equal(8f, second.Volume.Voxels[0]);
        AssertNames(Fails(path, new VolumeLoadOptions { VolumeIndex = 2 }), path, "--volume 2 is out of range");
    }

    [Fact]
    public void MissingFile_IsReported()
    {
        var path = _temp.File("absent.nii.gz");
        AssertNames(Fails(path), path, "no such file");
    }

    [Fact]
    public void EmptyDicomFolder_IsReported()
    {
        Fixtures.RequireTool("dcm2niix");
        var folder = Directory.CreateDirectory(_temp.File("empty-dicom")).FullName;
        File.WriteAllText(Path.Combine(folder, "readme.txt"), "no DICOM here");
        AssertNames(Fails(folder), folder, "dcm2niix found no DICOM series");
    }

    [Fact]
    public void DicomFolderWithoutDcm2niix_SaysHowToInstallIt()
    {
        var folder = Directory.CreateDirectory(_temp.File("dicom")).FullName;
        var loader = new VolumeLoader(dicom: new DicomConverter("/nonexistent/dcm2niix"));
        var e = Assert.Throws<InputException>(() => loader.Load(folder));
        AssertNames(e, folder, "dcm2niix is not installed (Debian: apt-get install dcm2niix)");
    }
}
