using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Volumes;

/// <summary>
/// Reads single-file NIfTI-1 and NIfTI-2 images (.nii, .nii.gz; either byte order) into float32 volumes the way
/// Merlin's loader does: voxels = raw × scl_slope + scl_inter computed in float64 and rounded once to float32
/// (slope 0 or non-finite = no scaling), geometry from <see cref="NiftiGeometry"/>, a 4-D file's volumes as channels.
/// Every malformed file ends in an <see cref="InputException"/> naming the file, never in garbage voxels.
/// </summary>
public static class NiftiReader
{
    private const int ChunkVoxels = 1 << 20;

    public static NiftiImage Read(string path, ILogger? logger = null)
    {
        using var stream = Open(path, out _);
        var header = ReadHeader(stream, path);
        var (sizeX, sizeY, sizeZ, channels) = Shape(header, path);
        var type = (NiftiDataType)header.DataTypeCode;
        var (slope, inter) = EffectiveScaling(header, path);
        var geometry = NiftiGeometry.Resolve(header, path);

        var warnings = new List<string>(geometry.Warnings);
        if (channels > 1) warnings.Add($"4-D file: its {channels} volumes become {channels} channels (as MONAI's EnsureChannelFirst does)");
        foreach (var w in warnings) logger?.LogWarning("{File}: {Warning}", path, w);

        var voxelCount = (long)sizeX * sizeY * sizeZ * channels;
        var raw = ReadVoxelBytes(stream, header, voxelCount * type.BytesPerVoxel(), path);
        var voxels = Decode(raw, type, header.BigEndian, slope, inter);
        var volume = new Volume(voxels, sizeX, sizeY, sizeZ, geometry.Affine, channels);
        return new NiftiImage(volume, header, geometry.Source, warnings);
    }

    /// <summary>Only the header (cheap: for a .nii.gz only its first few hundred bytes are decompressed).</summary>
    public static NiftiHeader ReadHeader(string path)
    {
        using var stream = Open(path, out _);
        return ReadHeader(stream, path);
    }

    /// <summary>The (slope, intercept) nibabel applies: slope 0 or non-finite means none.</summary>
    public static (double Slope, double Inter) EffectiveScaling(NiftiHeader header, string path)
    {
        var slope = header.SclSlope;
        if (slope == 0 || !double.IsFinite(slope)) return (1, 0);
        if (!double.IsFinite(header.SclInter))
            throw new InputException(path, $"valid scl_slope {slope} but invalid scl_inter {header.SclInter}");
        return (slope, header.SclInter);
    }

    private static Stream Open(string path, out bool gzipped)
    {
        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (FileNotFoundException) { throw new InputException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InputException(path, "file not found"); }
        catch (UnauthorizedAccessException) { throw new InputException(path, "permission denied"); }

        Span<byte> magic = stackalloc byte[2];
        var n = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        file.Position = 0;
        gzipped = n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
        return gzipped ? new BufferedStream(new GZipStream(file, CompressionMode.Decompress), 1 << 20) : file;
    }

    private static NiftiHeader ReadHeader(Stream stream, string path)
    {
        var bytes = new byte[NiftiHeader.Nifti2Size];
        var first = ReadFully(stream, bytes.AsSpan(0, 4), path);
        if (first < 4) throw new InputException(path, first == 0 ? "file is empty" : "file too short for a NIfTI header");
        var little = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var big = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var size = little == NiftiHeader.Nifti2Size || big == NiftiHeader.Nifti2Size ? NiftiHeader.Nifti2Size : NiftiHeader.Nifti1Size;
        var got = 4 + ReadFully(stream, bytes.AsSpan(4, size - 4), path);
        var header = NiftiHeader.Parse(bytes.AsSpan(0, Math.Min(got, size)), path);
        if (header.Magic is "ni1" or "ni2")
            throw new InputException(path, "is the header of a .hdr/.img pair; MerlinAdapt reads single-file NIfTI (.nii or .nii.gz)");
        return header;
    }

    private static (int X, int Y, int Z, int Channels) Shape(NiftiHeader header, string path)
    {
        var rank = header.Rank;
        if (rank is < 1 or > 7) throw new InputException(path, $"dim[0] = {rank} is not a number of dimensions (1–7)");
        var dims = new long[7];
        for (var i = 0; i < 7; i++)
        {
            dims[i] = i < rank ? header.Dim[i + 1] : 1;
            if (dims[i] < 1) throw new InputException(path, $"dim[{i + 1}] = {dims[i]}: every dimension must be at least 1");
        }
        if (dims.Skip(4).Any(d => d != 1))
            throw new InputException(path, $"{rank}-D image ({string.Join("×", dims.Take(rank))}); MerlinAdapt reads 3-D volumes and 4-D series");
        if (!NiftiDataTypes.IsSupported(header.DataTypeCode))
            throw new InputException(path, $"unsupported NIfTI datatype {NiftiDataTypes.Describe(header.DataTypeCode)}; " +
                                           "supported: uint8, int8, int16, uint16, int32, uint32, int64, uint64, float32, float64");
        if (dims[0] * dims[1] * dims[2] * dims[3] > Array.MaxLength / 8)
            throw new InputException(path, $"image of {string.Join("×", dims.Take(rank))} voxels is too large to load");
        return ((int)dims[0], (int)dims[1], (int)dims[2], (int)dims[3]);
    }

    private static byte[] ReadVoxelBytes(Stream stream, NiftiHeader header, long byteCount, string path)
    {
        // nibabel raises a too-small vox_offset of a single file to the first byte after header + extension flag.
        var minimumOffset = header.HeaderSize + 4;
        var offset = Math.Max(header.VoxOffset, minimumOffset);
        if (stream is FileStream file && file.Length < offset + byteCount)
            throw new InputException(path, $"dims promise {offset + byteCount} bytes ({offset} header + {byteCount} voxel data) but the file holds {file.Length}");

        Skip(stream, offset - header.HeaderSize, path);
        if (byteCount > Array.MaxLength) throw new InputException(path, "voxel data too large to load");
        var data = GC.AllocateUninitializedArray<byte>((int)byteCount);
        var got = ReadFully(stream, data, path);
        if (got < byteCount)
            throw new InputException(path, $"truncated: expected {byteCount} bytes of voxel data, got {got}");
        if (stream is not FileStream) DrainCompressed(stream, offset + byteCount, path);
        return data;
    }

    /// <summary>
    /// Reads to the end of the gzip stream and checks the trailer's length field against what was decompressed:
    /// .NET's GZipStream does not notice a file cut inside its 8-byte trailer, nibabel (zlib) does.
    /// An ISIZE of 0 is not checked: multi-member (BGZF) files end with an empty member.
    /// </summary>
    private static void DrainCompressed(Stream stream, long consumed, string path)
    {
        var buffer = new byte[1 << 16];
        int n;
        while ((n = ReadFully(stream, buffer, path)) > 0) consumed += n;
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> trailer = stackalloc byte[4];
        if (file.Length < 18) throw new InputException(path, "truncated gzip data (no gzip trailer)");
        file.Seek(-4, SeekOrigin.End);
        file.ReadExactly(trailer);
        var isize = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        if (isize != 0 && isize != (uint)consumed)
            throw new InputException(path, "truncated gzip data (compressed file ended before the end-of-stream marker)");
    }

    private static void Skip(Stream stream, long count, string path)
    {
        var buffer = new byte[Math.Min(count, 1 << 16)];
        while (count > 0)
        {
            var n = ReadFully(stream, buffer.AsSpan(0, (int)Math.Min(count, buffer.Length)), path);
            if (n == 0) throw new InputException(path, "truncated: file ends before the voxel data starts");
            count -= n;
        }
    }

    private static int ReadFully(Stream stream, Span<byte> buffer, string path)
    {
        try
        {
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            throw new InputException(path, $"corrupt gzip data ({e.Message.TrimEnd('.')})", e);
        }
        catch (EndOfStreamException e)
        {
            throw new InputException(path, "truncated gzip data (compressed file ended before the end-of-stream marker)", e);
        }
    }

    private static float[] Decode(byte[] raw, NiftiDataType type, bool bigEndian, double slope, double inter)
    {
        var bytesPerVoxel = type.BytesPerVoxel();
        var count = raw.Length / bytesPerVoxel;
        var voxels = GC.AllocateUninitializedArray<float>(count);
        if (bigEndian != !BitConverter.IsLittleEndian && bytesPerVoxel > 1) SwapBytes(raw, bytesPerVoxel);
        var chunks = (count + ChunkVoxels - 1) / ChunkVoxels;
        Parallel.For(0, chunks, chunk =>
        {
            var start = chunk * ChunkVoxels;
            var length = Math.Min(ChunkVoxels, count - start);
            DecodeChunk(raw.AsSpan(start * bytesPerVoxel, length * bytesPerVoxel), voxels.AsSpan(start, length), type, slope, inter);
        });
        return voxels;
    }

    private static void DecodeChunk(ReadOnlySpan<byte> raw, Span<float> dst, NiftiDataType type, double slope, double inter)
    {
        switch (type)
        {
            case NiftiDataType.UInt8: Scale(raw, dst, slope, inter); break;
            case NiftiDataType.Int8: Scale(MemoryMarshal.Cast<byte, sbyte>(raw), dst, slope, inter); break;
            case NiftiDataType.Int16: Scale(MemoryMarshal.Cast<byte, short>(raw), dst, slope, inter); break;
            case NiftiDataType.UInt16: Scale(MemoryMarshal.Cast<byte, ushort>(raw), dst, slope, inter); break;
            case NiftiDataType.Int32: Scale(MemoryMarshal.Cast<byte, int>(raw), dst, slope, inter); break;
            case NiftiDataType.UInt32: Scale(MemoryMarshal.Cast<byte, uint>(raw), dst, slope, inter); break;
            case NiftiDataType.Int64: Scale(MemoryMarshal.Cast<byte, long>(raw), dst, slope, inter); break;
            case NiftiDataType.UInt64: Scale(MemoryMarshal.Cast<byte, ulong>(raw), dst, slope, inter); break;
            case NiftiDataType.Float32: Scale(MemoryMarshal.Cast<byte, float>(raw), dst, slope, inter); break;
            case NiftiDataType.Float64: Scale(MemoryMarshal.Cast<byte, double>(raw), dst, slope, inter); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static void Scale<T>(ReadOnlySpan<T> src, Span<float> dst, double slope, double inter)
        where T : unmanaged, System.Numerics.INumberBase<T>
    {
        if (slope == 1 && inter == 0)
        {
            for (var i = 0; i < src.Length; i++) dst[i] = float.CreateTruncating(src[i]);
            return;
        }
        for (var i = 0; i < src.Length; i++) dst[i] = (float)(double.CreateTruncating(src[i]) * slope + inter);
    }

    private static void SwapBytes(byte[] raw, int width)
    {
        var count = raw.Length / width;
        var chunks = (count + ChunkVoxels - 1) / ChunkVoxels;
        Parallel.For(0, chunks, chunk =>
        {
            var start = chunk * ChunkVoxels;
            var span = raw.AsSpan(start * width, Math.Min(ChunkVoxels, count - start) * width);
            switch (width)
            {
                case 2: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ushort>(span), MemoryMarshal.Cast<byte, ushort>(span)); break;
                case 4: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, uint>(span), MemoryMarshal.Cast<byte, uint>(span)); break;
                case 8: BinaryPrimitives.ReverseEndianness(MemoryMarshal.Cast<byte, ulong>(span), MemoryMarshal.Cast<byte, ulong>(span)); break;
            }
        });
    }
}
