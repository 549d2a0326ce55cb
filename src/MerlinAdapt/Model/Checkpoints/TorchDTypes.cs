using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// The element types the checkpoint readers and writers support, under each format's own names: PyTorch's dtype
/// names (<c>float16</c>), its legacy storage classes (<c>HalfStorage</c>) and safetensors' codes (<c>F16</c>).
/// These ten are every dtype a Merlin (or any ordinary) state dict holds; complex, float8 and unsigned 16–64-bit
/// types are refused by name rather than guessed at.
/// </summary>
public static class TorchDTypes
{
    private static readonly (torch.ScalarType Type, string PyTorch, string Storage, string Safetensors, int Size)[] Table =
    [
        (torch.ScalarType.Float32, "float32", "FloatStorage", "F32", 4),
        (torch.ScalarType.Float16, "float16", "HalfStorage", "F16", 2),
        (torch.ScalarType.BFloat16, "bfloat16", "BFloat16Storage", "BF16", 2),
        (torch.ScalarType.Float64, "float64", "DoubleStorage", "F64", 8),
        (torch.ScalarType.Int64, "int64", "LongStorage", "I64", 8),
        (torch.ScalarType.Int32, "int32", "IntStorage", "I32", 4),
        (torch.ScalarType.Int16, "int16", "ShortStorage", "I16", 2),
        (torch.ScalarType.Int8, "int8", "CharStorage", "I8", 1),
        (torch.ScalarType.Byte, "uint8", "ByteStorage", "U8", 1),
        (torch.ScalarType.Bool, "bool", "BoolStorage", "BOOL", 1),
    ];

    /// <summary>The dtypes supported everywhere in this folder.</summary>
    public static IReadOnlyList<torch.ScalarType> Supported { get; } = Table.Select(t => t.Type).ToArray();

    public static bool IsSupported(torch.ScalarType type) => Table.Any(t => t.Type == type);

    /// <summary>PyTorch's name (<c>float16</c>, <c>int64</c>), as in the fixtures' expected JSON and the manifests.</summary>
    public static string PyTorchName(torch.ScalarType type) =>
        Table.FirstOrDefault(t => t.Type == type).PyTorch ?? type.ToString();

    public static int ElementSize(torch.ScalarType type)
    {
        foreach (var t in Table)
            if (t.Type == type) return t.Size;
        throw new ArgumentException($"unsupported dtype {type}", nameof(type));
    }

    /// <summary>The dtype of a legacy storage class name (<c>HalfStorage</c>), or null.</summary>
    public static torch.ScalarType? FromStorageClass(string name)
    {
        foreach (var t in Table)
            if (t.Storage == name) return t.Type;
        return null;
    }

    /// <summary>
    /// The dtype of a <c>torch.&lt;name&gt;</c> global. A dtype pickles as its canonical name, but the aliases
    /// (<c>half</c>, <c>long</c>, …) name the same objects, so they are accepted too.
    /// </summary>
    public static torch.ScalarType? FromPyTorchName(string name)
    {
        var canonical = name switch
        {
            "float" => "float32",
            "half" => "float16",
            "double" => "float64",
            "long" => "int64",
            "int" => "int32",
            "short" => "int16",
            _ => name,
        };
        foreach (var t in Table)
            if (t.PyTorch == canonical) return t.Type;
        return null;
    }

    public static string SafetensorsName(torch.ScalarType type)
    {
        foreach (var t in Table)
            if (t.Type == type) return t.Safetensors;
        throw new ArgumentException($"dtype {type} cannot be stored in safetensors here; supported: " +
                                    string.Join(", ", Table.Select(x => x.PyTorch)), nameof(type));
    }

    public static torch.ScalarType? FromSafetensorsName(string name)
    {
        foreach (var t in Table)
            if (t.Safetensors == name) return t.Type;
        return null;
    }
}
