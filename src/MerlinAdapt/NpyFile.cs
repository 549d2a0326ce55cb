using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt;

/// <summary>
/// NumPy .npy files (format versions 1–3, C order, little-endian): the arrays `encode` reads and writes, so results
/// move between MerlinAdapt and Python without conversion. Supported dtypes: float32, float64, float16, int64,
/// int32, uint8, bool.
/// </summary>
public static partial class NpyFile
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>Reads an array as a CPU tensor of its own dtype.</summary>
    public static Tensor Read(string path)
    {
        byte[] bytes;
        try { bytes = File.ReadAllBytes(path); }
        catch (FileNotFoundException) { throw new InputException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InputException(path, "file not found"); }
        if (bytes.Length < 10 || !bytes.AsSpan(0, 6).SequenceEqual(Magic)) throw new InputException(path, "not a NumPy .npy file (bad magic)");
        var major = bytes[6];
        int headerLength, headerStart;
        if (major == 1) (headerLength, headerStart) = (BinaryPrimitives.ReadUInt16LittleEndian(bytes.AsSpan(8)), 10);
        else if (major is 2 or 3) (headerLength, headerStart) = ((int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(8)), 12);
        else throw new InputException(path, $"unsupported .npy format version {major}");
        if (headerStart + headerLength > bytes.Length) throw new InputException(path, "truncated .npy header");
        var header = Encoding.Latin1.GetString(bytes, headerStart, headerLength);
        var descr = DescrPattern().Match(header);
        var shape = ShapePattern().Match(header);
        if (!descr.Success || !shape.Success) throw new InputException(path, $"unreadable .npy header: {header.Trim()}");
        if (FortranPattern().IsMatch(header)) throw new InputException(path, "Fortran-ordered arrays are not supported; save with np.ascontiguousarray");
        var dims = shape.Groups[1].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => long.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        var (type, width) = descr.Groups[1].Value switch
        {
            "<f4" => (ScalarType.Float32, 4),
            "<f8" => (ScalarType.Float64, 8),
            "<f2" => (ScalarType.Float16, 2),
            "<i8" => (ScalarType.Int64, 8),
            "<i4" => (ScalarType.Int32, 4),
            "|u1" => (ScalarType.Byte, 1),
            "|b1" => (ScalarType.Bool, 1),
            var d => throw new InputException(path, $"unsupported .npy dtype '{d}' (use float32, float64, float16, int64, int32, uint8 or bool, little-endian)"),
        };
        var count = dims.Aggregate(1L, (a, b) => a * b);
        var dataStart = headerStart + headerLength;
        if (bytes.Length - dataStart < count * width)
            throw new InputException(path, $"truncated: shape ({string.Join(", ", dims)}) needs {count * width} bytes of data, the file holds {bytes.Length - dataStart}");
        var result = empty(dims, type);
        bytes.AsSpan(dataStart, (int)(count * width)).CopyTo(result.bytes);
        return result;
    }

    /// <summary>Writes a tensor (moved to the CPU, made contiguous) atomically; float32, float64, int64, int32, uint8 and bool.</summary>
    public static void Write(string path, Tensor tensor)
    {
        using var cpu = tensor.detach().cpu().contiguous();
        var descr = cpu.dtype switch
        {
            ScalarType.Float32 => "<f4",
            ScalarType.Float64 => "<f8",
            ScalarType.Float16 => "<f2",
            ScalarType.Int64 => "<i8",
            ScalarType.Int32 => "<i4",
            ScalarType.Byte => "|u1",
            ScalarType.Bool => "|b1",
            var t => throw new ArgumentException($"cannot write {t} to .npy"),
        };
        var shape = cpu.shape.Length == 1 ? $"({cpu.shape[0]},)" : $"({string.Join(", ", cpu.shape)})";
        var dict = $"{{'descr': '{descr}', 'fortran_order': False, 'shape': {shape}, }}";
        // Pad with spaces so that the data starts on a 64-byte boundary, ending the header with a newline (NEP 1).
        var total = 10 + dict.Length + 1;
        var padded = dict + new string(' ', (64 - total % 64) % 64) + "\n";
        AtomicFile.Write(path, stream =>
        {
            stream.Write(Magic);
            stream.Write([1, 0]);
            Span<byte> length = stackalloc byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(length, (ushort)padded.Length);
            stream.Write(length);
            stream.Write(Encoding.Latin1.GetBytes(padded));
            stream.Write(cpu.bytes);
        });
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']+)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*True")]
    private static partial Regex FortranPattern();
}
