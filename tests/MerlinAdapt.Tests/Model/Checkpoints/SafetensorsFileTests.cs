using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using MerlinAdapt.Model.Checkpoints;
using TorchSharp;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// safetensors round trips are bit-exact for every supported dtype (random bit patterns: NaN payloads, −0, subnormals),
/// 0-d and empty tensors included; the file layout is the reference one; every malformed file is one InputException.
/// </summary>
public sealed class SafetensorsFileTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static readonly long[][] Shapes = [[], [0], [5], [2, 3, 4]];

    /// <summary>A tensor of <paramref name="dtype"/> filled with random bits (random 0/1 for bool, the only valid ones).</summary>
    private static torch.Tensor RandomTensor(torch.ScalarType dtype, long[] shape, Random random)
    {
        var t = torch.empty(shape, dtype);
        var bytes = new byte[t.numel() * t.element_size()];
        random.NextBytes(bytes);
        if (dtype == torch.ScalarType.Bool)
            for (var i = 0; i < bytes.Length; i++) bytes[i] &= 1;
        if (bytes.Length > 0) bytes.CopyTo(t.bytes);
        return t;
    }

    private static byte[] Bits(torch.Tensor t)
    {
        using var c = t.contiguous();
        return c.bytes.ToArray();
    }

    [Theory]
    [InlineData(torch.ScalarType.Float32)]
    [InlineData(torch.ScalarType.Float16)]
    [InlineData(torch.ScalarType.BFloat16)]
    [InlineData(torch.ScalarType.Float64)]
    [InlineData(torch.ScalarType.Int64)]
    [InlineData(torch.ScalarType.Int32)]
    [InlineData(torch.ScalarType.Int16)]
    [InlineData(torch.ScalarType.Int8)]
    [InlineData(torch.ScalarType.Byte)]
    [InlineData(torch.ScalarType.Bool)]
    public void RoundTrip_IsBitExact_ForEveryShape(torch.ScalarType dtype)
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(7 + (int)dtype);
        var tensors = Shapes.Select((shape, i) => new KeyValuePair<string, torch.Tensor>($"t{i}", RandomTensor(dtype, shape, random))).ToList();
        var path = _temp.File($"{dtype}.safetensors");

        SafetensorsFile.Save(path, tensors);
        using var loaded = SafetensorsFile.Load(path);

        Assert.Equal(tensors.Select(t => t.Key), loaded.Names);
        foreach (var (name, original) in tensors)
        {
            var back = loaded[name];
            Assert.Equal(dtype, back.dtype);
            Assert.Equal(original.shape, back.shape);
            Assert.Equal(Bits(original), Bits(back));
        }
        Assert.Empty(loaded["t0"].shape); // 0-d stays 0-d
    }

    [Fact]
    public void MixedFile_KeepsOrderAndMetadata_AndHasTheReferenceLayout()
    {
        using var scope = torch.NewDisposeScope();
        var random = new Random(11);
        var tensors = TorchDTypes.Supported
            .Select(d => new KeyValuePair<string, torch.Tensor>($"w.{TorchDTypes.PyTorchName(d)}", RandomTensor(d, [3], random)))
            .Append(new("scalar", RandomTensor(torch.ScalarType.Float32, [], random)))
            .ToList();
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓" };
        var path = _temp.File("mixed.safetensors");

        SafetensorsFile.Save(path, tensors, metadata);

        var file = File.ReadAllBytes(path);
        var n = (long)BinaryPrimitives.ReadUInt64LittleEndian(file);
        Assert.Equal(0, (8 + n) % 8);
        var header = Encoding.UTF8.GetString(file, 8, (int)n);
        Assert.StartsWith("{", header);
        Assert.EndsWith("}", header.TrimEnd(' ')); // padded with trailing spaces only
        using var json = JsonDocument.Parse(header);
        var root = json.RootElement;
        Assert.Equal("pt", root.GetProperty("__metadata__").GetProperty("format").GetString());
        var scalar = root.GetProperty("scalar");
        Assert.Equal("F32", scalar.GetProperty("dtype").GetString());
        Assert.Equal(0, scalar.GetProperty("shape").GetArrayLength());
        Assert.Equal(0, root.GetProperty("w.float32").GetProperty("data_offsets")[0].GetInt64()); // relative to the data
        Assert.Equal("BOOL", root.GetProperty("w.bool").GetProperty("dtype").GetString());
        Assert.Equal("BF16", root.GetProperty("w.bfloat16").GetProperty("dtype").GetString());

        using var loaded = SafetensorsFile.Load(path);
        Assert.Equal(tensors.Select(t => t.Key), loaded.Names);
        Assert.Equal(metadata, loaded.Metadata);
        foreach (var (name, original) in tensors) Assert.Equal(Bits(original), Bits(loaded[name]));
        Assert.Empty(Directory.GetFiles(_temp.Path, "*.tmp"));
    }

    [Fact]
    public void NonContiguousInput_IsStoredInLogicalOrder()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.arange(6, dtype: torch.float32).reshape(2, 3).t();
        var path = _temp.File("t.safetensors");
        SafetensorsFile.Save(path, [new("t", t)]);
        using var loaded = SafetensorsFile.Load(path);
        Assert.Equal([3L, 2], loaded["t"].shape);
        Assert.Equal([0f, 3f, 1f, 4f, 2f, 5f], loaded["t"].data<float>().ToArray());
    }

    [Fact]
    public void CheckpointConvertedFromPt_KeepsEveryBit()
    {
        var path = _temp.File("e.safetensors");
        using (var pt = TorchCheckpointReader.Read(Fixtures.Path("unsafe-checkpoints/e_valid_state_dict.pt")))
            SafetensorsFile.Save(path, pt);
        using var loaded = SafetensorsFile.Load(path);
        TorchCheckpointReaderTests.AssertMatchesExpected(loaded, Fixtures.Json("unsafe-checkpoints/e_valid_state_dict.expected.json"));
    }

    [Fact]
    public void HandWrittenFile_AsPythonWritesIt_IsRead()
    {
        // int64 0-d 123456789012 and float16 [2] {1.0, 2^-24}, with the header padded to 8 bytes.
        var header = "{\"n\":{\"dtype\":\"I64\",\"shape\":[],\"data_offsets\":[0,8]},\"h\":{\"dtype\":\"F16\",\"shape\":[2],\"data_offsets\":[8,12]}}";
        while ((8 + header.Length) % 8 != 0) header += " ";
        var data = new byte[12];
        BinaryPrimitives.WriteInt64LittleEndian(data, 123456789012);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(8), 0x3c00);
        BinaryPrimitives.WriteUInt16LittleEndian(data.AsSpan(10), 0x0001);
        var path = _temp.File("py.safetensors");
        File.WriteAllBytes(path, Compose(header, data));

        using var sd = SafetensorsFile.Load(path);
        Assert.Equal(["n", "h"], sd.Names);
        Assert.Empty(sd["n"].shape);
        Assert.Equal(123456789012L, sd["n"].item<long>());
        Assert.Equal(torch.ScalarType.Float16, sd["h"].dtype);
        Assert.Equal(data[8..], Bits(sd["h"]));
        Assert.Empty(sd.Metadata);
    }

    [Fact]
    public void Save_RejectsDuplicateAndReservedNames()
    {
        using var scope = torch.NewDisposeScope();
        var t = torch.zeros(1);
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Save(_temp.File("d.safetensors"), [new("a", t), new("a", t)]));
        Assert.Throws<ArgumentException>(() => SafetensorsFile.Save(_temp.File("m.safetensors"), [new("__metadata__", t)]));
        Assert.False(File.Exists(_temp.File("d.safetensors")));
    }

    private static byte[] Compose(string header, byte[] data, ulong? declaredLength = null)
    {
        var h = Encoding.UTF8.GetBytes(header);
        var file = new byte[8 + h.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(file, declaredLength ?? (ulong)h.Length);
        h.CopyTo(file, 8);
        data.CopyTo(file, 8 + h.Length);
        return file;
    }

    private static string T(string name, string dtype, string shape, long begin, long end) =>
        $"\"{name}\":{{\"dtype\":\"{dtype}\",\"shape\":{shape},\"data_offsets\":[{begin},{end}]}}";

    public static TheoryData<string, byte[], string> MalformedFiles() => new()
    {
        { "too short", [1, 2, 3], "too short" },
        { "header longer than the file", Compose("{}", [], declaredLength: 1000), "does not fit" },
        { "zero header length", Compose("", [], declaredLength: 0), "does not fit" },
        { "not JSON", Compose("{not json", []), "not valid JSON" },
        { "JSON array", Compose("[1,2]   ", []), "not a JSON object" },
        { "unknown dtype", Compose("{" + T("a", "F8_E4M3", "[1]", 0, 1) + "}", new byte[1]), "F8_E4M3" },
        { "size mismatch", Compose("{" + T("a", "F32", "[2]", 0, 4) + "}", new byte[4]), "needs 8 bytes" },
        { "overlap", Compose("{" + T("a", "F32", "[2]", 0, 8) + "," + T("b", "F32", "[1]", 4, 8) + "}", new byte[8]), "overlaps" },
        { "gap", Compose("{" + T("a", "F32", "[1]", 0, 4) + "," + T("b", "F32", "[1]", 8, 12) + "}", new byte[12]), "gap" },
        { "truncated data", Compose("{" + T("a", "F64", "[2]", 0, 16) + "}", new byte[9]), "truncated" },
        { "trailing data", Compose("{" + T("a", "U8", "[2]", 0, 2) + "}", new byte[5]), "no tensor describes" },
        { "negative dimension", Compose("{" + T("a", "U8", "[-2]", 0, 2) + "}", new byte[2]), "non-negative" },
        { "offsets backwards", Compose("{" + T("a", "U8", "[0]", 2, 0) + "}", new byte[2]), "data_offsets" },
        { "duplicate name", Compose("{" + T("a", "U8", "[1]", 0, 1) + "," + T("a", "U8", "[1]", 1, 2) + "}", new byte[2]), "twice" },
        { "metadata not strings", Compose("{\"__metadata__\":{\"epoch\":3}}", []), "not a string" },
        { "dtype missing", Compose("{\"a\":{\"shape\":[1],\"data_offsets\":[0,1]}}", new byte[1]), "no dtype" },
        { "huge shape", Compose("{" + T("a", "F64", "[4294967296,4294967296]", 0, 8) + "}", new byte[8]), "impossibly large" },
    };

    [Theory]
    [MemberData(nameof(MalformedFiles))]
    public void MalformedFile_IsOneInputException_NamingTheFile(string kind, byte[] content, string problem)
    {
        var path = _temp.File($"{kind.Replace(' ', '_')}.safetensors");
        File.WriteAllBytes(path, content);
        var e = Assert.Throws<InputException>(() => SafetensorsFile.Load(path).Dispose());
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void MissingFile_IsReported()
    {
        var e = Assert.Throws<InputException>(() => SafetensorsFile.Load(_temp.File("nope.safetensors")));
        Assert.Contains("file not found", e.Message);
    }
}
