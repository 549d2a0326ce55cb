using System.Buffers.Binary;
using System.Text;

namespace MerlinAdapt.Volumes;

/// <summary>
/// The fields of a NIfTI-1 (348-byte) or NIfTI-2 (540-byte) header that geometry and voxel reading need, as stored
/// (before nibabel's fixes such as pixdim 0 → 1). Field names follow nifti1.h / nifti2.h.
/// </summary>
public sealed class NiftiHeader
{
    public const int Nifti1Size = 348;
    public const int Nifti2Size = 540;

    public int Version { get; init; } = 1;
    public bool BigEndian { get; init; }
    /// <summary>dim[0..7]: dim[0] is the number of dimensions.</summary>
    public long[] Dim { get; init; } = [3, 1, 1, 1, 1, 1, 1, 1];
    public int DataTypeCode { get; init; } = (int)NiftiDataType.Float32;
    public int BitPix { get; init; } = 32;
    /// <summary>pixdim[0..7]: pixdim[0] is qfac, pixdim[1..3] the voxel size.</summary>
    public double[] PixDim { get; init; } = [1, 1, 1, 1, 1, 1, 1, 1];
    public long VoxOffset { get; init; } = 352;
    public double SclSlope { get; init; } = 1;
    public double SclInter { get; init; }
    public int QformCode { get; init; }
    public int SformCode { get; init; }
    public double QuaternB { get; init; }
    public double QuaternC { get; init; }
    public double QuaternD { get; init; }
    public double QoffsetX { get; init; }
    public double QoffsetY { get; init; }
    public double QoffsetZ { get; init; }
    /// <summary>srow_x, srow_y, srow_z, row-major (12 values).</summary>
    public double[] Srow { get; init; } = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0];
    public int XyztUnits { get; init; } = 2;
    public string Description { get; init; } = "";
    /// <summary>"n+1"/"n+2" for single files, "ni1"/"ni2" for header/image pairs.</summary>
    public string Magic { get; init; } = "n+1";

    public int HeaderSize => Version == 1 ? Nifti1Size : Nifti2Size;

    public int Rank => (int)Dim[0];

    /// <summary>Reads the header from the first bytes of a file; the byte order follows from sizeof_hdr.</summary>
    public static NiftiHeader Parse(ReadOnlySpan<byte> bytes, string path)
    {
        if (bytes.Length < 4) throw new InputException(path, "file too short for a NIfTI header");
        var little = BinaryPrimitives.ReadInt32LittleEndian(bytes);
        var big = BinaryPrimitives.ReadInt32BigEndian(bytes);
        var (version, bigEndian) = (little, big) switch
        {
            (Nifti1Size, _) => (1, false),
            (_, Nifti1Size) => (1, true),
            (Nifti2Size, _) => (2, false),
            (_, Nifti2Size) => (2, true),
            _ => throw new InputException(path, $"not a NIfTI file (sizeof_hdr is {little}, expected 348 or 540)"),
        };
        var size = version == 1 ? Nifti1Size : Nifti2Size;
        if (bytes.Length < size) throw new InputException(path, $"file ends inside the {size}-byte NIfTI-{version} header");
        var r = new FieldReader(bytes[..size].ToArray(), bigEndian);
        return version == 1 ? ParseNifti1(r, path) : ParseNifti2(r, path);
    }

    private static NiftiHeader ParseNifti1(FieldReader r, string path)
    {
        var magic = r.Ascii(344, 4);
        if (magic is not ("n+1" or "ni1"))
            throw new InputException(path, $"bad NIfTI-1 magic \"{Printable(magic)}\" (expected \"n+1\")");
        return new NiftiHeader
        {
            Version = 1,
            BigEndian = r.BigEndian,
            Magic = magic,
            Dim = Enumerable.Range(0, 8).Select(i => (long)r.Int16(40 + 2 * i)).ToArray(),
            DataTypeCode = r.Int16(70),
            BitPix = r.Int16(72),
            PixDim = Enumerable.Range(0, 8).Select(i => (double)r.Single(76 + 4 * i)).ToArray(),
            VoxOffset = (long)r.Single(108),
            SclSlope = r.Single(112),
            SclInter = r.Single(116),
            XyztUnits = r.Byte(123),
            Description = r.Ascii(148, 80),
            QformCode = r.Int16(252),
            SformCode = r.Int16(254),
            QuaternB = r.Single(256),
            QuaternC = r.Single(260),
            QuaternD = r.Single(264),
            QoffsetX = r.Single(268),
            QoffsetY = r.Single(272),
            QoffsetZ = r.Single(276),
            Srow = Enumerable.Range(0, 12).Select(i => (double)r.Single(280 + 4 * i)).ToArray(),
        };
    }

    private static NiftiHeader ParseNifti2(FieldReader r, string path)
    {
        var magic = r.Ascii(4, 4);
        if (magic is not ("n+2" or "ni2"))
            throw new InputException(path, $"bad NIfTI-2 magic \"{Printable(magic)}\" (expected \"n+2\")");
        return new NiftiHeader
        {
            Version = 2,
            BigEndian = r.BigEndian,
            Magic = magic,
            DataTypeCode = r.Int16(12),
            BitPix = r.Int16(14),
            Dim = Enumerable.Range(0, 8).Select(i => r.Int64(16 + 8 * i)).ToArray(),
            PixDim = Enumerable.Range(0, 8).Select(i => r.Double(104 + 8 * i)).ToArray(),
            VoxOffset = r.Int64(168),
            SclSlope = r.Double(176),
            SclInter = r.Double(184),
            Description = r.Ascii(240, 80),
            QformCode = r.Int32(344),
            SformCode = r.Int32(348),
            QuaternB = r.Double(352),
            QuaternC = r.Double(360),
            QuaternD = r.Double(368),
            QoffsetX = r.Double(376),
            QoffsetY = r.Double(384),
            QoffsetZ = r.Double(392),
            Srow = Enumerable.Range(0, 12).Select(i => r.Double(400 + 8 * i)).ToArray(),
            XyztUnits = r.Int32(500),
        };
    }

    /// <summary>Serialises the header (NIfTI-1: 348 bytes, NIfTI-2: 540 bytes) in its byte order.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[HeaderSize];
        var w = new FieldWriter(bytes, BigEndian);
        if (Version == 1)
        {
            w.Int32(0, Nifti1Size);
            for (var i = 0; i < 8; i++) w.Int16(40 + 2 * i, checked((short)Dim[i]));
            w.Int16(70, (short)DataTypeCode);
            w.Int16(72, (short)BitPix);
            for (var i = 0; i < 8; i++) w.Single(76 + 4 * i, (float)PixDim[i]);
            w.Single(108, VoxOffset);
            w.Single(112, (float)SclSlope);
            w.Single(116, (float)SclInter);
            bytes[123] = (byte)XyztUnits;
            w.Ascii(148, Description, 80);
            w.Int16(252, (short)QformCode);
            w.Int16(254, (short)SformCode);
            w.Single(256, (float)QuaternB);
            w.Single(260, (float)QuaternC);
            w.Single(264, (float)QuaternD);
            w.Single(268, (float)QoffsetX);
            w.Single(272, (float)QoffsetY);
            w.Single(276, (float)QoffsetZ);
            for (var i = 0; i < 12; i++) w.Single(280 + 4 * i, (float)Srow[i]);
            w.Ascii(344, Magic, 4);
        }
        else
        {
            w.Int32(0, Nifti2Size);
            w.Ascii(4, Magic, 4);
            // The rest of NIfTI-2's 8-byte magic guards against text-mode transfers (nifti2.h).
            bytes[8] = 0x0D; bytes[9] = 0x0A; bytes[10] = 0x1A; bytes[11] = 0x0A;
            w.Int16(12, (short)DataTypeCode);
            w.Int16(14, (short)BitPix);
            for (var i = 0; i < 8; i++) w.Int64(16 + 8 * i, Dim[i]);
            for (var i = 0; i < 8; i++) w.Double(104 + 8 * i, PixDim[i]);
            w.Int64(168, VoxOffset);
            w.Double(176, SclSlope);
            w.Double(184, SclInter);
            w.Ascii(240, Description, 80);
            w.Int32(344, QformCode);
            w.Int32(348, SformCode);
            w.Double(352, QuaternB);
            w.Double(360, QuaternC);
            w.Double(368, QuaternD);
            w.Double(376, QoffsetX);
            w.Double(384, QoffsetY);
            w.Double(392, QoffsetZ);
            for (var i = 0; i < 12; i++) w.Double(400 + 8 * i, Srow[i]);
            w.Int32(500, XyztUnits);
        }
        return bytes;
    }

    private static string Printable(string s) =>
        new(s.Select(c => c is >= ' ' and < (char)127 ? c : '?').ToArray());

    private readonly struct FieldReader(byte[] bytes, bool bigEndian)
    {
        private readonly ReadOnlySpan<byte> _b => bytes;
        public bool BigEndian { get; } = bigEndian;
        public byte Byte(int o) => _b[o];
        public short Int16(int o) => BigEndian ? BinaryPrimitives.ReadInt16BigEndian(_b[o..]) : BinaryPrimitives.ReadInt16LittleEndian(_b[o..]);
        public int Int32(int o) => BigEndian ? BinaryPrimitives.ReadInt32BigEndian(_b[o..]) : BinaryPrimitives.ReadInt32LittleEndian(_b[o..]);
        public long Int64(int o) => BigEndian ? BinaryPrimitives.ReadInt64BigEndian(_b[o..]) : BinaryPrimitives.ReadInt64LittleEndian(_b[o..]);
        public float Single(int o) => BigEndian ? BinaryPrimitives.ReadSingleBigEndian(_b[o..]) : BinaryPrimitives.ReadSingleLittleEndian(_b[o..]);
        public double Double(int o) => BigEndian ? BinaryPrimitives.ReadDoubleBigEndian(_b[o..]) : BinaryPrimitives.ReadDoubleLittleEndian(_b[o..]);
        public string Ascii(int o, int length)
        {
            var field = _b.Slice(o, length);
            var end = field.IndexOf((byte)0);
            return Encoding.ASCII.GetString(end < 0 ? field : field[..end]);
        }
    }

    private readonly ref struct FieldWriter(Span<byte> bytes, bool bigEndian)
    {
        private readonly Span<byte> _b = bytes;
        public void Int16(int o, short v) { if (bigEndian) BinaryPrimitives.WriteInt16BigEndian(_b[o..], v); else BinaryPrimitives.WriteInt16LittleEndian(_b[o..], v); }
        public void Int32(int o, int v) { if (bigEndian) BinaryPrimitives.WriteInt32BigEndian(_b[o..], v); else BinaryPrimitives.WriteInt32LittleEndian(_b[o..], v); }
        public void Int64(int o, long v) { if (bigEndian) BinaryPrimitives.WriteInt64BigEndian(_b[o..], v); else BinaryPrimitives.WriteInt64LittleEndian(_b[o..], v); }
        public void Single(int o, float v) { if (bigEndian) BinaryPrimitives.WriteSingleBigEndian(_b[o..], v); else BinaryPrimitives.WriteSingleLittleEndian(_b[o..], v); }
        public void Double(int o, double v) { if (bigEndian) BinaryPrimitives.WriteDoubleBigEndian(_b[o..], v); else BinaryPrimitives.WriteDoubleLittleEndian(_b[o..], v); }
        public void Ascii(int o, string s, int max)
        {
            var n = Encoding.ASCII.GetBytes(s.Length > max - 1 ? s[..(max - 1)] : s, _b.Slice(o, max));
            _b.Slice(o + n, max - n).Clear();
        }
    }
}
