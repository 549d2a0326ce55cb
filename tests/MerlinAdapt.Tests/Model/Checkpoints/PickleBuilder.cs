using System.Buffers.Binary;
using System.Text;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// Writes pickle opcodes by hand, so that tests can build the hostile and edge-case pickles of the hidden set
/// (fixtures/unsafe-checkpoints/README.md) without Python, and without anything that could execute them.
/// </summary>
internal sealed class PickleBuilder
{
    private readonly List<byte> _bytes = [];

    public PickleBuilder Raw(params byte[] bytes)
    {
        _bytes.AddRange(bytes);
        return this;
    }

    public PickleBuilder Op(char op) => Raw((byte)op);

    public PickleBuilder Proto(int version) => Raw(0x80, (byte)version);

    /// <summary>GLOBAL: module and name as text lines (protocols 0–3).</summary>
    public PickleBuilder Global(string module, string name) => Op('c').Raw(Encoding.UTF8.GetBytes($"{module}\n{name}\n"));

    /// <summary>STACK_GLOBAL (protocol ≥ 4): module and name pushed as strings first.</summary>
    public PickleBuilder StackGlobal(string module, string name) => ShortStr(module).Memoize().ShortStr(name).Memoize().Raw(0x93);

    public PickleBuilder Str(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        return Op('X').UInt32((uint)utf8.Length).Raw(utf8);
    }

    public PickleBuilder ShortStr(string s)
    {
        var utf8 = Encoding.UTF8.GetBytes(s);
        return Raw(0x8c, (byte)utf8.Length).Raw(utf8);
    }

    public PickleBuilder Int(long v)
    {
        if (v is >= 0 and < 256) return Raw((byte)'K', (byte)v);
        if (v is >= int.MinValue and <= int.MaxValue)
        {
            var b = new byte[4];
            BinaryPrimitives.WriteInt32LittleEndian(b, (int)v);
            return Op('J').Raw(b);
        }
        var l = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(l, v);
        return Raw(0x8a, 8).Raw(l);
    }

    public PickleBuilder Ints(params long[] values)
    {
        Mark();
        foreach (var v in values) Int(v);
        return Op('t');
    }

    public PickleBuilder UInt32(uint v)
    {
        var b = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(b, v);
        return Raw(b);
    }

    public PickleBuilder Mark() => Op('(');
    public PickleBuilder Tuple() => Op('t');
    public PickleBuilder EmptyTuple() => Op(')');
    public PickleBuilder Tuple1() => Raw(0x85);
    public PickleBuilder Reduce() => Op('R');
    public PickleBuilder Build() => Op('b');
    public PickleBuilder EmptyDict() => Op('}');
    public PickleBuilder EmptyList() => Op(']');
    public PickleBuilder SetItem() => Op('s');
    public PickleBuilder SetItems() => Op('u');
    public PickleBuilder Append() => Op('a');
    public PickleBuilder False() => Raw(0x89);
    public PickleBuilder True() => Raw(0x88);
    public PickleBuilder None() => Op('N');
    public PickleBuilder Put(byte i) => Raw((byte)'q', i);
    public PickleBuilder Get(byte i) => Raw((byte)'h', i);
    public PickleBuilder Memoize() => Raw(0x94);
    public PickleBuilder BinPersId() => Op('Q');
    public PickleBuilder NewObj() => Raw(0x81);
    public PickleBuilder Stop() => Op('.');

    /// <summary>An empty <c>collections.OrderedDict</c>, as torch.save writes a state dict's start.</summary>
    public PickleBuilder OrderedDict() => Global("collections", "OrderedDict").EmptyTuple().Reduce();

    /// <summary>The storage persistent id <c>('storage', torch.&lt;cls&gt;, key, location, numel)</c> loaded by BINPERSID.</summary>
    public PickleBuilder Storage(string storageClass, string key, long numel, string location = "cpu") =>
        Mark().Str("storage").Global(storageClass.Contains('.') ? storageClass[..storageClass.LastIndexOf('.')] : "torch",
                storageClass.Contains('.') ? storageClass[(storageClass.LastIndexOf('.') + 1)..] : storageClass)
            .Str(key).Str(location).Int(numel).Tuple().BinPersId();

    /// <summary>A tensor exactly as torch.save writes it: <c>_rebuild_tensor_v2(storage, offset, size, stride, False, OrderedDict())</c>.</summary>
    public PickleBuilder TensorV2(string storageClass, string key, long numel, long offset, long[] shape, long[] stride) =>
        Global("torch._utils", "_rebuild_tensor_v2").Mark().Storage(storageClass, key, numel)
            .Int(offset).Ints(shape).Ints(stride).False().OrderedDict().Tuple().Reduce();

    public byte[] ToArray() => _bytes.ToArray();
}
