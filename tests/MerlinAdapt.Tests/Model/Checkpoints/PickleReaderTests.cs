using System.Numerics;
using MerlinAdapt.Model.Checkpoints;
using TorchSharp;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// The restricted unpickler on hand-written opcodes: plain values come out as plain values, every global off the
/// allow-list and every object-building opcode on anything but an empty OrderedDict is refused by name, and damaged
/// pickles end in a "corrupt checkpoint" error, never a hang or a stray exception type.
/// </summary>
public sealed class PickleReaderTests
{
    private const string FileName = "test.pt";

    private static object? Read(byte[] pickle) => PickleReader.Read(pickle, FileName);

    private static InputException Fails(byte[] pickle) => Assert.Throws<InputException>(() => Read(pickle));

    private static void AssertRefused(byte[] pickle, string offending)
    {
        var e = Fails(pickle);
        Assert.Equal(FileName, e.Path);
        Assert.StartsWith($"{FileName}: refuses to load: the pickle ", e.Message);
        Assert.Contains(offending, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        PwnedMarkers.AssertNone();
    }

    [Fact]
    public void PlainValues_Protocol2_ComeOutAsPlainValues()
    {
        var big = BigInteger.Pow(2, 80) + 7;
        var bigBytes = big.ToByteArray(); // little-endian two's complement, as LONG1 stores it
        var pickle = new PickleBuilder().Proto(2).EmptyDict().Put(0).Mark()
            .Str("str").Str("héllo ✓")
            .Str("small").Int(200)
            .Str("neg").Int(-5)
            .Str("i64").Int(123456789012)
            .Str("big").Raw(0x8a, (byte)bigBytes.Length).Raw(bigBytes)
            .Str("float").Op('G').Raw(BitConverter.GetBytes(2.5).Reverse().ToArray())
            .Str("true").True()
            .Str("none").None()
            .Str("list").EmptyList().Put(1).Mark().Int(1).Int(2).Op('e')
            .Str("tuple").Ints(3, 4, 5)
            .Str("again").Get(1)
            .SetItems().Stop().ToArray();

        var dict = Assert.IsType<PickleDict>(Read(pickle));
        Assert.False(dict.IsOrderedDict);
        Assert.Equal(["str", "small", "neg", "i64", "big", "float", "true", "none", "list", "tuple", "again"],
            dict.Entries.Select(e => (string)e.Key!));
        object? V(string k) => dict.TryGetValue(k, out var v) ? v : throw new KeyNotFoundException(k);
        Assert.Equal("héllo ✓", V("str"));
        Assert.Equal(200L, V("small"));
        Assert.Equal(-5L, V("neg"));
        Assert.Equal(123456789012L, V("i64"));
        Assert.Equal(big, V("big"));
        Assert.Equal(2.5, V("float"));
        Assert.Equal(true, V("true"));
        Assert.Null(V("none"));
        Assert.Equal([1L, 2L], Assert.IsType<List<object?>>(V("list")));
        Assert.Equal(new object?[] { 3L, 4L, 5L }, Assert.IsType<object?[]>(V("tuple")));
        Assert.Same(V("list"), V("again")); // the memo shares objects, as Python does
    }

    [Fact]
    public void Protocol4_FrameMemoizeAndStackGlobal_OfAllowedNames_Parse()
    {
        var body = new PickleBuilder().StackGlobal("collections", "OrderedDict").EmptyTuple().Reduce().Memoize()
            .ShortStr("k").Raw(0x43, 3, 1, 2, 3) // SHORT_BINBYTES
            .SetItem().Stop().ToArray();
        var pickle = new PickleBuilder().Proto(4).Raw(0x95).Raw(BitConverter.GetBytes((ulong)body.Length)).Raw(body).ToArray();

        var dict = Assert.IsType<PickleDict>(Read(pickle));
        Assert.True(dict.IsOrderedDict);
        Assert.True(dict.TryGetValue("k", out var bytes));
        Assert.Equal([1, 2, 3], Assert.IsType<byte[]>(bytes));
    }

    [Fact]
    public void Protocol0_TextOpcodes_Parse()
    {
        var text = "(dp0\nS'a'\np1\nI42\nsS'b'\np2\nL-12345678901234567890L\nsVx\\u00e9\np3\nF0.25\nsS'c'\np4\ng3\nsI01\nI00\ns.";
        var dict = Assert.IsType<PickleDict>(Read(System.Text.Encoding.ASCII.GetBytes(text)));
        Assert.True(dict.TryGetValue("a", out var a));
        Assert.Equal(42L, a);
        Assert.True(dict.TryGetValue("b", out var b));
        Assert.Equal(BigInteger.Parse("-12345678901234567890"), b);
        Assert.True(dict.TryGetValue("xé", out var f));
        Assert.Equal(0.25, f);
        Assert.True(dict.TryGetValue("c", out var c));
        Assert.Equal("xé", c);
        Assert.True(dict.TryGetValue(true, out var t));
        Assert.Equal(false, t);
    }

    [Fact]
    public void Tensor_V2_BecomesAReference_WithoutTouchingData()
    {
        var pickle = new PickleBuilder().Proto(2).OrderedDict().Mark()
            .Str("w").TensorV2("HalfStorage", "0", 24, 8, [2, 4], [1, 2])
            .SetItems().Stop().ToArray();

        var dict = Assert.IsType<PickleDict>(Read(pickle));
        Assert.True(dict.TryGetValue("w", out var value));
        var t = Assert.IsType<TorchTensorReference>(value);
        Assert.Equal(torch.ScalarType.Float16, t.DType);
        Assert.Equal(new TorchStorageReference("0", torch.ScalarType.Float16, "cpu", 24), t.Storage);
        Assert.Equal(8, t.StorageOffset);
        Assert.Equal([2L, 4L], t.Shape);
        Assert.Equal([1L, 2L], t.Stride);
    }

    [Fact]
    public void StateDictMetadata_ViaBuild_IsKeptAsAttributes()
    {
        // model.state_dict() carries _metadata, which OrderedDict's reduce hands to BUILD.
        var pickle = new PickleBuilder().Proto(2).OrderedDict().Put(0)
            .EmptyDict().Str("_metadata").OrderedDict().Str("").EmptyDict().Str("version").Int(1).SetItem().SetItem().SetItem()
            .Build().Stop().ToArray();
        var dict = Assert.IsType<PickleDict>(Read(pickle));
        Assert.Equal(0, dict.Count);
        Assert.IsType<PickleDict>(dict.Attributes);
    }

    public static TheoryData<string, string, byte[]> HostilePickles()
    {
        var data = new TheoryData<string, string, byte[]>();
        foreach (var (kind, global, pickle) in HostilePickleSet.All) data.Add(kind, global, pickle);
        return data;
    }

    [Theory]
    [MemberData(nameof(HostilePickles))]
    public void HostileGlobal_IsRefused_ByName(string kind, string offending, byte[] pickle)
    {
        Assert.NotEmpty(kind);
        AssertRefused(pickle, offending);
    }

    public static TheoryData<string, string, byte[]> AbusedOpcodes() => new()
    {
        { "REDUCE on a storage class", "a call of torch.FloatStorage",
            new PickleBuilder().Proto(2).Global("torch", "FloatStorage").Mark().Int(3).Tuple().Reduce().Stop().ToArray() },
        { "NEWOBJ of a rebuild function", "NEWOBJ of torch._utils._rebuild_tensor_v2",
            new PickleBuilder().Proto(2).Global("torch._utils", "_rebuild_tensor_v2").EmptyTuple().NewObj().Stop().ToArray() },
        { "NEWOBJ_EX with kwargs", "NEWOBJ_EX",
            new PickleBuilder().Proto(4).StackGlobal("collections", "OrderedDict").EmptyTuple().EmptyDict().Str("x").Int(1).SetItem().Raw(0x92).Stop().ToArray() },
        { "BUILD on a tensor", "BUILD",
            new PickleBuilder().Proto(2).TensorV2("FloatStorage", "0", 1, 0, [], []).EmptyDict().Str("__class__").Str("x").SetItem().Build().Stop().ToArray() },
        { "APPEND to a dict", "APPEND",
            new PickleBuilder().Proto(2).EmptyDict().Int(1).Append().Stop().ToArray() },
        { "SETITEM on a list", "SETITEM",
            new PickleBuilder().Proto(2).EmptyList().Int(1).Int(2).SetItem().Stop().ToArray() },
        { "copyreg extension", "extension registry",
            new PickleBuilder().Proto(2).Raw(0x82, 1).Stop().ToArray() },
        { "out-of-band buffer", "out-of-band",
            new PickleBuilder().Proto(5).Raw(0x97).Stop().ToArray() },
        { "text persistent id", "PERSID",
            new PickleBuilder().Proto(2).Op('P').Raw("0\n"u8.ToArray()).Stop().ToArray() },
        { "module persistent id", "persistent id",
            new PickleBuilder().Proto(2).Mark().Str("module").Int(0).Int(0).Int(0).Int(0).Tuple().BinPersId().Stop().ToArray() },
        { "a set", "a set",
            new PickleBuilder().Proto(4).Raw(0x8f).Stop().ToArray() },
    };

    [Theory]
    [MemberData(nameof(AbusedOpcodes))]
    public void ObjectBuildingOpcodes_OutsideTheAllowList_AreRefused(string kind, string named, byte[] pickle)
    {
        Assert.NotEmpty(kind);
        AssertRefused(pickle, named);
    }

    [Theory]
    [InlineData(new byte[] { 0x80, 0x02, 0xff, 0x2e }, "unknown pickle opcode 0xff")]
    [InlineData(new byte[] { 0x80, 0x06, 0x4e, 0x2e }, "protocol 6")]
    [InlineData(new byte[] { 0x80, 0x02, 0x68, 0x05, 0x2e }, "memo entry 5")]
    [InlineData(new byte[] { 0x80, 0x02, 0x52, 0x2e }, "stack underflow")]
    [InlineData(new byte[] { 0x80, 0x02, 0x4e, 0x4e, 0x2e }, "2 values on the stack")]
    [InlineData(new byte[] { 0x80, 0x02, 0x74, 0x2e }, "needs a MARK")]
    [InlineData(new byte[] { 0x80, 0x02, 0x4e }, "before its STOP")]
    [InlineData(new byte[] { }, "before its STOP")]
    [InlineData(new byte[] { 0x80, 0x02, 0x58, 0xff, 0xff, 0xff, 0x7f, 0x61 }, "truncated")]
    [InlineData(new byte[] { 0x80, 0x02, 0x55, 0x02, 0xc3, 0x28, 0x2e }, "not valid UTF-8")]
    public void DamagedPickle_IsCorrupt(byte[] pickle, string problem)
    {
        var e = Fails(pickle);
        Assert.StartsWith($"{FileName}: corrupt checkpoint: ", e.Message);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void EveryTruncation_OfARealStateDictPickle_IsCorrupt()
    {
        var pickle = CheckpointZip.ReadMember(Fixtures.Path("unsafe-checkpoints/e_valid_state_dict.pt"), "/data.pkl");
        Assert.IsType<PickleDict>(Read(pickle));
        for (var n = 0; n < pickle.Length; n++)
        {
            var e = Fails(pickle[..n]);
            Assert.Contains("corrupt checkpoint", e.Message);
        }
    }

    [Fact]
    public void RandomlyDamagedPickles_EndInInputExceptionOrAValue_NeverAnythingElse()
    {
        var pickle = CheckpointZip.ReadMember(Fixtures.Path("unsafe-checkpoints/e2_valid_views.pt"), "/data.pkl");
        var random = new Random(20240402);
        for (var trial = 0; trial < 3000; trial++)
        {
            var damaged = (byte[])pickle.Clone();
            for (var flips = random.Next(1, 4); flips > 0; flips--) damaged[random.Next(damaged.Length)] = (byte)random.Next(256);
            try { Read(damaged); }
            catch (InputException) { }
        }
        PwnedMarkers.AssertNone();
    }
}
