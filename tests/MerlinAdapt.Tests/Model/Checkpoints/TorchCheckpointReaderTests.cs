using System.Globalization;
using System.Runtime.InteropServices;
using System.Text.Json;
using MerlinAdapt.Model.Checkpoints;
using TorchSharp;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// The safe .pt loader against fixtures/unsafe-checkpoints (every file behaves as its README says), the model-parity
/// weights (key counts, shapes, dtypes, 0-d tensors, manifest order) and hand-built archives for the hidden set and
/// the format's corners.
/// </summary>
public sealed class TorchCheckpointReaderTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private static string Unsafe(string name) => Fixtures.Path($"unsafe-checkpoints/{name}");

    private static InputException Fails(string path)
    {
        var e = Assert.Throws<InputException>(() => TorchCheckpointReader.Read(path).Dispose());
        Assert.Equal(path, e.Path);
        Assert.DoesNotContain('\n', e.Message);
        PwnedMarkers.AssertNone();
        return e;
    }

    // ---- fixtures/unsafe-checkpoints --------------------------------------------------------------------------------

    [Fact]
    public void ValidStateDict_E_MatchesExpectedJson_BitForBit()
    {
        using var sd = TorchCheckpointReader.Read(Unsafe("e_valid_state_dict.pt"));
        AssertMatchesExpected(sd, Fixtures.Json("unsafe-checkpoints/e_valid_state_dict.expected.json"));
        Assert.Null(sd.WrapperKey);
        Assert.Empty(sd.NonTensorKeys);
        Assert.Empty(sd["bn.num_batches_tracked"].shape); // 0-d, not [1]
        Assert.Equal(123456789012L, sd["bn.num_batches_tracked"].item<long>());
    }

    [Fact]
    public void SharedStorageViews_E2_MatchExpectedJson_AndDoNotAlias()
    {
        using var sd = TorchCheckpointReader.Read(Unsafe("e2_valid_views.pt"));
        var expected = Fixtures.Json("unsafe-checkpoints/e2_valid_views.expected.json");
        AssertMatchesExpected(sd, expected);

        // q, k and v_t share one storage in the file; here each owns its values.
        sd["qkv.q"].add_(100);
        AssertMatchesExpected(sd, expected, skip: "qkv.q");
    }

    [Theory]
    [InlineData("a_reduce_os_system.pt", "os.system")]
    [InlineData("b1_unexpected_class_counter.pt", "collections.Counter")]
    [InlineData("b2_unexpected_class_custom_module.pt", "merlin_fixture_custom.Payload")]
    public void HostileFixture_IsRefused_NamingTheGlobal(string file, string global)
    {
        var e = Fails(Unsafe(file));
        Assert.Contains("refuses to load", e.Message);
        Assert.Contains($"references {global};", e.Message);
    }

    [Fact]
    public void LegacyFormat_C_IsRefused_WithAdvice()
    {
        var e = Fails(Unsafe("c_legacy_format.pt"));
        Assert.Contains("unsupported legacy (pre-1.6, non-zip) PyTorch format; re-save it with torch ≥ 1.6", e.Message);
    }

    [Fact]
    public void TruncatedZip_D1_IsCorruptOrTruncated()
    {
        Assert.Contains("corrupt or truncated checkpoint", Fails(Unsafe("d1_truncated_zip.pt")).Message);
    }

    [Fact]
    public void TruncatedPickle_D2_IsCorrupt()
    {
        var e = Fails(Unsafe("d2_truncated_pickle_in_valid_zip.pt"));
        Assert.Contains("corrupt checkpoint", e.Message);
        Assert.Contains("truncated", e.Message);
    }

    // ---- the hidden set's kinds, hand-written into torch.save-shaped archives ------------------------------------

    public static TheoryData<string, string> HiddenSetKinds() => new()
    {
        { "protocol-2 __builtin__ eval", "__builtin__.eval" },
        { "protocol-2 __builtin__ exec", "__builtin__.exec" },
        { "posix system", "posix.system" },
        { "subprocess Popen", "subprocess.Popen" },
        { "getattr/__import__ chain", "__builtin__.getattr" },
        { "protocol-4 STACK_GLOBAL builtins exec", "builtins.exec" },
    };

    [Theory]
    [MemberData(nameof(HiddenSetKinds))]
    public void HiddenSetPayload_InAValidCheckpoint_IsRefusedBeforeAnyStorageIsRead(string kind, string global)
    {
        var payload = HostilePickleSet.Pickle(kind);
        // Put the payload (without its PROTO/STOP) as a value after a real tensor, as fixture (a) does. The tensor's
        // storage record is deliberately absent: reading storages before refusing would fail differently.
        var body = payload[2..^1];
        var pickle = new PickleBuilder().Proto(kind.Contains("protocol-4") ? 4 : 2).OrderedDict().Mark()
            .Str("linear.weight").TensorV2("FloatStorage", "0", 2, 0, [2], [1])
            .Str("linear.extra_state").Raw(body)
            .SetItems().Stop().ToArray();
        var path = _temp.File("hidden.pt");
        CheckpointZip.Write(path, pickle);

        var e = Fails(path);
        Assert.Contains($"refuses to load: the pickle references {global};", e.Message);
    }

    // ---- model-parity weights ---------------------------------------------------------------------------------------

    [Fact]
    public void ImageWeights_124Keys_Fp16AndZeroDimInt64_MatchTheManifest()
    {
        using var sd = TorchCheckpointReader.Read(Fixtures.Path("model-parity/image/image_weights.pt"));
        var manifest = Manifest("model-parity/manifests/image_encoder_full_keys.tsv");
        var card = Fixtures.Json("model-parity/image/image_case.json");

        Assert.Equal(124, sd.Count);
        Assert.Equal(card.GetProperty("state_dict_keys").GetInt32(), sd.Count);
        Assert.Equal(104, sd.Count(e => e.Value.dtype == torch.ScalarType.Float16));
        var counters = sd.Where(e => e.Key.EndsWith(".num_batches_tracked", StringComparison.Ordinal)).ToList();
        Assert.Equal(20, counters.Count);
        Assert.All(counters, e =>
        {
            Assert.Equal(torch.ScalarType.Int64, e.Value.dtype);
            Assert.Empty(e.Value.shape);
        });
        foreach (var (name, tensor) in sd)
        {
            Assert.True(manifest.TryGetValue(name, out var row), $"{name} is not in the full encoder's manifest");
            Assert.Equal(row.Shape, Shape(tensor));
            // The fixture stores the manifest's float32 tensors as float16 (model-parity/README.md).
            Assert.Equal(row.DType == "float32" ? torch.ScalarType.Float16 : torch.ScalarType.Int64, tensor.dtype);
            Assert.True(tensor.is_contiguous());
        }
        Assert.Equal(manifest.Keys.Where(sd.ContainsKey), sd.Names); // state_dict() order
        Assert.Equal([128L, 128, 3, 3, 3], sd["encode_image.i3_resnet.layer2.1.conv2.weight"].shape);
        var parameters = sd.Where(e => manifest[e.Key].Kind == "parameter").Sum(e => e.Value.numel());
        Assert.Equal(card.GetProperty("parameters").GetInt64(), parameters);
    }

    [Fact]
    public void TextWeights_54Keys_Float32_LogitScaleIsZeroDim()
    {
        using var sd = TorchCheckpointReader.Read(Fixtures.Path("model-parity/text/text_weights.pt"));
        var manifest = Manifest("model-parity/manifests/text_encoder_full_keys.tsv");
        var card = Fixtures.Json("model-parity/text/text_case.json");

        Assert.Equal(54, sd.Count);
        Assert.All(sd, e => Assert.Equal(torch.ScalarType.Float32, e.Value.dtype));
        Assert.Equal("logit_scale", sd[0].Key);
        var logitScale = sd["logit_scale"];
        Assert.Empty(logitScale.shape);
        Assert.Equal((float)card.GetProperty("logit_scale").GetDouble(), logitScale.item<float>());
        Assert.Equal(2.6592600f, logitScale.item<float>(), 6);
        Assert.Equal(card.GetProperty("parameters").GetInt64(), sd.Sum(e => e.Value.numel()));

        Assert.All(sd.Names, name => Assert.True(manifest.ContainsKey(name), $"{name} is not in the text manifest"));
        Assert.Equal(manifest.Keys.Where(sd.ContainsKey), sd.Names);
        Assert.Equal([1000L, 64], sd["encode_text.text_encoder.embeddings.word_embeddings.weight"].shape);
        Assert.Equal([130L, 64], sd["encode_text.text_encoder.embeddings.position_embeddings.weight"].shape);
        Assert.Equal([32L, 64], sd["encode_text.linear_layer.weight"].shape);
        Assert.DoesNotContain(sd.Names, n => n.EndsWith("position_ids", StringComparison.Ordinal));
    }

    // ---- format corners, on hand-built archives ---------------------------------------------------------------------

    private static byte[] Floats(params float[] values) => MemoryMarshal.AsBytes(values.AsSpan()).ToArray();

    [Fact]
    public void TrainingCheckpoint_WrappingStateDict_IsUnwrapped_AndReported()
    {
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Mark()
            .Str("epoch").Int(7)
            .Str("state_dict").OrderedDict().Mark()
                .Str("w").TensorV2("FloatStorage", "0", 3, 0, [3], [1])
                .Str("step").Int(5)
            .SetItems()
            .Str("optimizer").EmptyDict()
            .SetItems().Stop().ToArray();
        var path = _temp.File("train.ckpt");
        CheckpointZip.Write(path, pickle, new Dictionary<string, byte[]> { ["0"] = Floats(1, 2, 3) });

        using var sd = TorchCheckpointReader.Read(path);
        Assert.Equal("state_dict", sd.WrapperKey);
        Assert.Equal(["w"], sd.Names);
        Assert.Equal(["step"], sd.NonTensorKeys);
        Assert.Equal([1f, 2f, 3f], sd["w"].data<float>().ToArray());
    }

    [Fact]
    public void NewerTorchSpellings_ParameterV3UntypedStorageProtocol4_AreRead()
    {
        // torch 2.x: _rebuild_parameter around a tensor, _rebuild_tensor_v3 with UntypedStorage (numel in bytes) and an
        // explicit dtype, STACK_GLOBAL and memoization under protocol 4.
        ushort[] halves = [0x3c00, 0xc100, 0x7bff, 0x0001];
        var pickle = new PickleBuilder().Proto(4).StackGlobal("collections", "OrderedDict").EmptyTuple().Reduce().Memoize().Mark()
            .ShortStr("p").StackGlobal("torch._utils", "_rebuild_parameter").Mark()
                .TensorV2("FloatStorage", "0", 2, 0, [2], [1]).True().OrderedDict().Tuple().Reduce()
            .ShortStr("h").StackGlobal("torch._utils", "_rebuild_tensor_v3").Mark()
                .Storage("torch.storage.UntypedStorage", "1", 8).Int(1).Ints(3).Ints(1).False().OrderedDict()
                .StackGlobal("torch", "float16").Tuple().Reduce()
            .SetItems().Stop().ToArray();
        var path = _temp.File("v3.pt");
        CheckpointZip.Write(path, pickle, new Dictionary<string, byte[]>
        {
            ["0"] = Floats(0.5f, -1f),
            ["1"] = MemoryMarshal.AsBytes(halves.AsSpan()).ToArray(),
        }, archive: "archive", extraMembers: new Dictionary<string, byte[]>
        {
            ["byteorder"] = "little"u8.ToArray(),
            [".data/serialization_id"] = "1234567890"u8.ToArray(),
        });

        using var sd = TorchCheckpointReader.Read(path);
        Assert.Equal([0.5f, -1f], sd["p"].data<float>().ToArray());
        var h = sd["h"];
        Assert.Equal(torch.ScalarType.Float16, h.dtype);
        Assert.Equal([(ushort)0xc100, (ushort)0x7bff, (ushort)0x0001], MemoryMarshal.Cast<byte, ushort>(h.bytes).ToArray());
    }

    [Fact]
    public void BigEndianCheckpoint_IsRefused()
    {
        var path = _temp.File("big.pt");
        CheckpointZip.Write(path, OneTensorPickle(), new Dictionary<string, byte[]> { ["0"] = Floats(1, 2) },
            extraMembers: new Dictionary<string, byte[]> { ["byteorder"] = "big"u8.ToArray() });
        Assert.Contains("big-endian", Fails(path).Message);
    }

    private static byte[] OneTensorPickle(long numel = 2, long offset = 0, long[]? shape = null, long[]? stride = null) =>
        new PickleBuilder().Proto(2).OrderedDict().Mark()
            .Str("w").TensorV2("FloatStorage", "0", numel, offset, shape ?? [2], stride ?? [1])
            .SetItems().Stop().ToArray();

    [Fact]
    public void MissingStorageRecord_IsCorrupt()
    {
        var path = _temp.File("missing.pt");
        CheckpointZip.Write(path, OneTensorPickle());
        Assert.Contains("storage record data/0 is missing", Fails(path).Message);
    }

    [Fact]
    public void StorageOfTheWrongSize_IsCorrupt()
    {
        var path = _temp.File("short.pt");
        CheckpointZip.Write(path, OneTensorPickle(), new Dictionary<string, byte[]> { ["0"] = Floats(1) });
        Assert.Contains("holds 4 bytes, its pickle promises 8", Fails(path).Message);
    }

    [Fact]
    public void ViewReachingPastItsStorage_IsCorrupt_NotRead()
    {
        var path = _temp.File("oob.pt");
        CheckpointZip.Write(path, OneTensorPickle(numel: 2, offset: 1, shape: [2], stride: [1]),
            new Dictionary<string, byte[]> { ["0"] = Floats(1, 2) });
        Assert.Contains("reaches past its storage", Fails(path).Message);
    }

    [Fact]
    public void TwoPickleRecords_AreAmbiguous()
    {
        var path = _temp.File("two.pt");
        CheckpointZip.Write(path, OneTensorPickle(), new Dictionary<string, byte[]> { ["0"] = Floats(1, 2) });
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Update))
        using (var stream = zip.CreateEntry("other/data.pkl").Open())
            stream.Write(OneTensorPickle());
        Assert.Contains("ambiguous", Fails(path).Message);
    }

    [Fact]
    public void TopLevelWithoutTensorsOrStateDict_IsExplained()
    {
        var path = _temp.File("notsd.pt");
        CheckpointZip.Write(path, new PickleBuilder().Proto(2).EmptyDict().Str("model").EmptyDict().SetItem().Stop().ToArray());
        Assert.Contains("no 'state_dict' dict (top-level keys: model)", Fails(path).Message);
    }

    [Theory]
    [InlineData("", "file is empty")]
    [InlineData("hello, not a checkpoint", "no zip signature")]
    [InlineData("\u0080\u0002N.", "bare pickle")]
    public void NotACheckpoint_IsSaidSo(string content, string problem)
    {
        var path = _temp.File("x.pt");
        File.WriteAllBytes(path, content.Select(c => (byte)c).ToArray());
        Assert.Contains(problem, Fails(path).Message);
    }

    [Fact]
    public void MissingFile_IsReported()
    {
        Assert.Contains("file not found", Fails(_temp.File("nope.pt")).Message);
    }

    [Fact]
    public void ZipWithoutDataPkl_IsNotACheckpoint()
    {
        var path = _temp.File("plain.zip");
        using (var zip = System.IO.Compression.ZipFile.Open(path, System.IO.Compression.ZipArchiveMode.Create))
            zip.CreateEntry("readme.txt");
        Assert.Contains("no <folder>/data.pkl", Fails(path).Message);
    }

    // ---- helpers ------------------------------------------------------------------------------------------------------

    private static string Shape(torch.Tensor t) => "[" + string.Join(",", t.shape) + "]";

    private static Dictionary<string, (string Shape, string DType, string? Kind)> Manifest(string relative)
    {
        var rows = new Dictionary<string, (string, string, string?)>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Fixtures.Path(relative)).Skip(1))
        {
            if (line.Length == 0) continue;
            var f = line.Split('\t');
            rows.Add(f[0], (f[1], f[2], f.Length > 3 ? f[3] : null));
        }
        return rows;
    }

    /// <summary>Names (in order), dtypes, shapes and every value's bits equal the fixture's expected JSON.</summary>
    internal static void AssertMatchesExpected(TorchStateDict sd, JsonElement expected, string? skip = null)
    {
        Assert.Equal(expected.EnumerateObject().Select(p => p.Name), sd.Names);
        foreach (var property in expected.EnumerateObject())
        {
            if (property.Name == skip) continue;
            var e = property.Value;
            var t = sd[property.Name];
            Assert.Equal(e.GetProperty("dtype").GetString(), TorchDTypes.PyTorchName(t.dtype));
            Assert.Equal(e.GetProperty("shape").EnumerateArray().Select(x => x.GetInt64()), t.shape);
            Assert.True(t.is_contiguous());
            var bytes = t.bytes;
            switch (t.dtype)
            {
                case torch.ScalarType.Float32:
                    Assert.Equal(Hex(e.GetProperty("float32_bits_hex")), MemoryMarshal.Cast<byte, uint>(bytes).ToArray());
                    break;
                case torch.ScalarType.Float16:
                    Assert.Equal(Hex(e.GetProperty("float16_bits_hex")).Select(v => (ushort)v),
                        MemoryMarshal.Cast<byte, ushort>(bytes).ToArray());
                    break;
                case torch.ScalarType.Int64:
                    Assert.Equal(e.GetProperty("values_row_major").EnumerateArray().Select(v => v.GetInt64()),
                        MemoryMarshal.Cast<byte, long>(bytes).ToArray());
                    break;
                default:
                    Assert.Fail($"unexpected dtype {t.dtype} in the fixture");
                    break;
            }
        }
    }

    private static uint[] Hex(JsonElement array) =>
        array.EnumerateArray().Select(h => uint.Parse(h.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture)).ToArray();
}
