using System.Buffers.Binary;
using System.IO.Compression;

namespace MerlinAdapt.Volumes;

/// <summary>
/// Writes a volume as a single-file NIfTI-1 or NIfTI-2 image (.nii, or gzip-compressed for .nii.gz), atomically.
/// The affine goes into both sform and qform (codes 1, as MONAI's writer does), several channels into dim[4].
/// </summary>
public static class NiftiWriter
{
    private const int ChunkVoxels = 1 << 18;

    public static void Write(Volume volume, string path, NiftiWriteOptions? options = null)
    {
        options ??= new NiftiWriteOptions();
        var header = BuildHeader(volume, options);
        var gzip = path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase);
        AtomicFile.Write(path, file =>
        {
            using var stream = gzip ? new GZipStream(file, options.Compression, leaveOpen: true) : (Stream)new NonClosing(file);
            using var buffered = new BufferedStream(stream, 1 << 20);
            buffered.Write(header.ToBytes());
            buffered.Write(new byte[4]); // extension flag: no extensions
            WriteVoxels(buffered, volume.Voxels, options);
        });
    }

    internal static NiftiHeader BuildHeader(Volume volume, NiftiWriteOptions options)
    {
        var type = options.DataType;
        var a = volume.Affine;
        var spacing = a.Spacing();
        var (b, c, d, qfac) = Quaternion(a);
        var rank = volume.Channels > 1 ? 4 : 3;
        return new NiftiHeader
        {
            Version = options.Version,
            BigEndian = options.BigEndian,
            Magic = options.Version == 1 ? "n+1" : "n+2",
            Dim = [rank, volume.SizeX, volume.SizeY, volume.SizeZ, volume.Channels, 1, 1, 1],
            DataTypeCode = (int)type,
            BitPix = type.BytesPerVoxel() * 8,
            PixDim = [qfac, spacing[0], spacing[1], spacing[2], 1, 1, 1, 1],
            VoxOffset = (options.Version == 1 ? NiftiHeader.Nifti1Size : NiftiHeader.Nifti2Size) + 4,
            SclSlope = options.Slope,
            SclInter = options.Inter,
            XyztUnits = 2, // mm
            Description = options.Description,
            QformCode = 1,
            SformCode = 1,
            QuaternB = b,
            QuaternC = c,
            QuaternD = d,
            QoffsetX = a[0, 3],
            QoffsetY = a[1, 3],
            QoffsetZ = a[2, 3],
            Srow = [a[0, 0], a[0, 1], a[0, 2], a[0, 3], a[1, 0], a[1, 1], a[1, 2], a[1, 3], a[2, 0], a[2, 1], a[2, 2], a[2, 3]],
        };
    }

    /// <summary>
    /// The qform quaternion (b, c, d) and qfac of an affine's rotation (nifti1_io's mat44_to_quatern, for an
    /// orthogonal 3×3 part): columns normalised, the third negated when the determinant is negative.
    /// </summary>
    internal static (double B, double C, double D, double Qfac) Quaternion(Affine affine)
    {
        var s = affine.Spacing();
        var r = new double[3, 3];
        for (var row = 0; row < 3; row++)
            for (var col = 0; col < 3; col++) r[row, col] = s[col] > 0 ? affine[row, col] / s[col] : (row == col ? 1 : 0);
        var det = r[0, 0] * (r[1, 1] * r[2, 2] - r[1, 2] * r[2, 1]) - r[0, 1] * (r[1, 0] * r[2, 2] - r[1, 2] * r[2, 0])
                + r[0, 2] * (r[1, 0] * r[2, 1] - r[1, 1] * r[2, 0]);
        var qfac = 1.0;
        if (det < 0)
        {
            qfac = -1;
            for (var row = 0; row < 3; row++) r[row, 2] = -r[row, 2];
        }
        double a, b, c, d;
        var trace = r[0, 0] + r[1, 1] + r[2, 2] + 1;
        if (trace > 0.5)
        {
            a = 0.5 * Math.Sqrt(trace);
            b = 0.25 * (r[2, 1] - r[1, 2]) / a;
            c = 0.25 * (r[0, 2] - r[2, 0]) / a;
            d = 0.25 * (r[1, 0] - r[0, 1]) / a;
        }
        else
        {
            var xd = 1.0 + r[0, 0] - (r[1, 1] + r[2, 2]);
            var yd = 1.0 + r[1, 1] - (r[0, 0] + r[2, 2]);
            var zd = 1.0 + r[2, 2] - (r[0, 0] + r[1, 1]);
            if (xd > 1.0)
            {
                b = 0.5 * Math.Sqrt(xd);
                c = 0.25 * (r[0, 1] + r[1, 0]) / b;
                d = 0.25 * (r[0, 2] + r[2, 0]) / b;
                a = 0.25 * (r[2, 1] - r[1, 2]) / b;
            }
            else if (yd > 1.0)
            {
                c = 0.5 * Math.Sqrt(yd);
                b = 0.25 * (r[0, 1] + r[1, 0]) / c;
                d = 0.25 * (r[1, 2] + r[2, 1]) / c;
                a = 0.25 * (r[0, 2] - r[2, 0]) / c;
            }
            else
            {
                d = 0.5 * Math.Sqrt(zd);
                b = 0.25 * (r[0, 2] + r[2, 0]) / d;
                c = 0.25 * (r[1, 2] + r[2, 1]) / d;
                a = 0.25 * (r[1, 0] - r[0, 1]) / d;
            }
            if (a < 0) { b = -b; c = -c; d = -d; }
        }
        return (b, c, d, qfac);
    }

    private static void WriteVoxels(Stream stream, float[] voxels, NiftiWriteOptions options)
    {
        var type = options.DataType;
        var width = type.BytesPerVoxel();
        var buffer = new byte[ChunkVoxels * width];
        for (var start = 0; start < voxels.Length; start += ChunkVoxels)
        {
            var length = Math.Min(ChunkVoxels, voxels.Length - start);
            var src = voxels.AsSpan(start, length);
            var dst = buffer.AsSpan(0, length * width);
            for (var i = 0; i < length; i++) Encode(src[i], dst.Slice(i * width, width), type, options);
            stream.Write(dst);
        }
    }

    private static void Encode(float value, Span<byte> dst, NiftiDataType type, NiftiWriteOptions o)
    {
        var big = o.BigEndian;
        if (type == NiftiDataType.Float32)
        {
            if (big) BinaryPrimitives.WriteSingleBigEndian(dst, value); else BinaryPrimitives.WriteSingleLittleEndian(dst, value);
            return;
        }
        if (type == NiftiDataType.Float64)
        {
            if (big) BinaryPrimitives.WriteDoubleBigEndian(dst, value); else BinaryPrimitives.WriteDoubleLittleEndian(dst, value);
            return;
        }
        var stored = Math.Round((value - o.Inter) / o.Slope, MidpointRounding.ToEven);
        if (double.IsNaN(stored)) throw new ArgumentException($"NaN cannot be stored as {type}; write float32 instead");
        switch (type)
        {
            case NiftiDataType.UInt8: Store<byte>(stored, dst, big); break;
            case NiftiDataType.Int8: Store<sbyte>(stored, dst, big); break;
            case NiftiDataType.Int16: Store<short>(stored, dst, big); break;
            case NiftiDataType.UInt16: Store<ushort>(stored, dst, big); break;
            case NiftiDataType.Int32: Store<int>(stored, dst, big); break;
            case NiftiDataType.UInt32: Store<uint>(stored, dst, big); break;
            case NiftiDataType.Int64: Store<long>(stored, dst, big); break;
            case NiftiDataType.UInt64: Store<ulong>(stored, dst, big); break;
            default: throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    /// <summary>An already rounded value, clamped to the integer type's range, in the requested byte order.</summary>
    private static void Store<T>(double stored, Span<byte> dst, bool bigEndian) where T : System.Numerics.IBinaryInteger<T>
    {
        var value = T.CreateSaturating(stored);
        if (bigEndian) value.WriteBigEndian(dst);
        else value.WriteLittleEndian(dst);
    }

    /// <summary>Keeps the atomic writer's file stream open when the plain (uncompressed) path disposes its wrapper.</summary>
    private sealed class NonClosing(Stream inner) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => inner.Length;
        public override long Position { get => inner.Position; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);
        public override void Write(ReadOnlySpan<byte> buffer) => inner.Write(buffer);
    }
}
