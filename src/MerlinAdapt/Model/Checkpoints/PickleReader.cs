using System.Buffers.Binary;
using System.Globalization;
using System.Numerics;
using System.Text;
using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// A restricted unpickler for torch.save's <c>data.pkl</c> (pickle protocols 0–5). It never imports, looks up or calls
/// anything: it interprets the opcodes into inert values — <see cref="PickleDict"/> for dict/OrderedDict,
/// <c>List&lt;object?&gt;</c> for lists, <c>object?[]</c> for tuples, string, long (or <see cref="BigInteger"/> beyond
/// 64 bits), double, bool, null, byte[] — and <see cref="TorchTensorReference"/> for tensors, whose bytes are read
/// only after the whole pickle has been accepted.
/// <para>
/// Every global must be on <see cref="PickleAllowList"/>; anything else (<c>os.system</c>, <c>__builtin__.eval</c>,
/// <c>collections.Counter</c>, a custom class) stops the read at the opcode that names it, with an
/// <see cref="InputException"/> naming the file and the global. REDUCE, NEWOBJ, INST, OBJ and BUILD are interpreted
/// only for the allowed callables, with their argument shapes checked; unknown opcodes, out-of-band buffers, the copyreg
/// extension registry and text persistent ids are refused. A pickle that ends before STOP is reported as corrupt,
/// never waited on (the whole pickle is in memory).
/// </para>
/// </summary>
public sealed class PickleReader
{
    private const int HighestProtocol = 5;

    private readonly ReadOnlyMemory<byte> _data;
    private readonly string _path;
    private readonly List<object?> _stack = [];
    private readonly Stack<int> _marks = new();
    private readonly Dictionary<long, object?> _memo = [];
    private int _pos;

    private PickleReader(ReadOnlyMemory<byte> data, string path)
    {
        _data = data;
        _path = path;
    }

    /// <summary>Interprets <paramref name="pickle"/>; <paramref name="path"/> is the file named in errors.</summary>
    public static object? Read(ReadOnlyMemory<byte> pickle, string path) => new PickleReader(pickle, path).Run();

    private ReadOnlySpan<byte> Data => _data.Span;

    private object? Run()
    {
        while (true)
        {
            if (_pos >= _data.Length)
                throw Corrupt($"the pickle ends at byte {_data.Length} before its STOP opcode (truncated)");
            var at = _pos;
            var op = Data[_pos++];
            switch (op)
            {
                case 0x80: // PROTO
                    var protocol = ReadByte();
                    if (protocol > HighestProtocol)
                        throw Corrupt($"pickle protocol {protocol} is newer than {HighestProtocol}, the newest this reader knows");
                    break;
                case 0x95: // FRAME: a length prefix for the opcodes that follow; the data is already all in memory
                    var frame = ReadUInt64();
                    if (frame > (ulong)(_data.Length - _pos)) throw Truncated();
                    break;
                case (byte)'.': // STOP
                    if (_stack.Count != 1 || _marks.Count != 0)
                        throw Corrupt($"STOP at byte {at} with {_stack.Count} values on the stack (expected exactly 1)");
                    return _stack[0];

                case (byte)'(': _marks.Push(_stack.Count); break; // MARK
                case (byte)'0': Pop(); break; // POP
                case (byte)'1': PopMark(); break; // POP_MARK
                case (byte)'2': Push(Peek()); break; // DUP

                case (byte)'N': Push(null); break; // NONE
                case 0x88: Push(true); break; // NEWTRUE
                case 0x89: Push(false); break; // NEWFALSE
                case (byte)'I': Push(PickleLiterals.IntLine(ReadLine(), _path)); break; // INT
                case (byte)'J': Push((long)BinaryPrimitives.ReadInt32LittleEndian(Take(4))); break; // BININT
                case (byte)'K': Push((long)ReadByte()); break; // BININT1
                case (byte)'M': Push((long)BinaryPrimitives.ReadUInt16LittleEndian(Take(2))); break; // BININT2
                case (byte)'L': Push(PickleLiterals.LongLine(ReadLine(), _path)); break; // LONG
                case 0x8a: Push(PickleLiterals.Long(Take(ReadByte()))); break; // LONG1
                case 0x8b: Push(PickleLiterals.Long(Take(ReadLength32()))); break; // LONG4
                case (byte)'F': Push(PickleLiterals.FloatLine(ReadLine(), _path)); break; // FLOAT
                case (byte)'G': Push(BinaryPrimitives.ReadDoubleBigEndian(Take(8))); break; // BINFLOAT

                // Python 2 str (protocol ≤ 2): torch.load decodes them as UTF-8.
                case (byte)'S': Push(PickleLiterals.QuotedString(ReadLine(), _path)); break; // STRING
                case (byte)'T': Push(Utf8(Take(ReadLength32()))); break; // BINSTRING
                case (byte)'U': Push(Utf8(Take(ReadByte()))); break; // SHORT_BINSTRING
                case (byte)'V': Push(PickleLiterals.RawUnicodeEscape(ReadLine(), _path)); break; // UNICODE
                case (byte)'X': Push(Utf8(Take(ReadLength32()))); break; // BINUNICODE
                case 0x8c: Push(Utf8(Take(ReadByte()))); break; // SHORT_BINUNICODE
                case 0x8d: Push(Utf8(Take(ReadLength64()))); break; // BINUNICODE8
                case (byte)'B': Push(Take(ReadLength32()).ToArray()); break; // BINBYTES
                case (byte)'C': Push(Take(ReadByte()).ToArray()); break; // SHORT_BINBYTES
                case 0x8e: Push(Take(ReadLength64()).ToArray()); break; // BINBYTES8
                case 0x96: Push(Take(ReadLength64()).ToArray()); break; // BYTEARRAY8

                case (byte)')': Push(Array.Empty<object?>()); break; // EMPTY_TUPLE
                case 0x85: Push(new[] { Pop() }); break; // TUPLE1
                case 0x86: { var b = Pop(); var a = Pop(); Push(new[] { a, b }); break; } // TUPLE2
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); Push(new[] { a, b, c }); break; } // TUPLE3
                case (byte)'t': Push(PopMark().ToArray()); break; // TUPLE
                case (byte)']': Push(new List<object?>()); break; // EMPTY_LIST
                case (byte)'l': Push(PopMark()); break; // LIST
                case (byte)'a': { var v = Pop(); ListAt(Peek(), "APPEND").Add(v); break; } // APPEND
                case (byte)'e': { var items = PopMark(); ListAt(Peek(), "APPENDS").AddRange(items); break; } // APPENDS
                case (byte)'}': Push(new PickleDict(ordered: false)); break; // EMPTY_DICT
                case (byte)'d': { var items = PopMark(); var d = new PickleDict(ordered: false); SetItems(d, items); Push(d); break; } // DICT
                case (byte)'s': { var v = Pop(); var k = Pop(); SetItem(DictAt(Peek(), "SETITEM"), k, v); break; } // SETITEM
                case (byte)'u': { var items = PopMark(); SetItems(DictAt(Peek(), "SETITEMS"), items); break; } // SETITEMS

                case (byte)'p': _memo[PickleLiterals.MemoIndex(ReadLine(), _path)] = Peek(); break; // PUT
                case (byte)'q': _memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': _memo[BinaryPrimitives.ReadUInt32LittleEndian(Take(4))] = Peek(); break; // LONG_BINPUT
                case 0x94: _memo[_memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'g': Push(Recall(PickleLiterals.MemoIndex(ReadLine(), _path))); break; // GET
                case (byte)'h': Push(Recall(ReadByte())); break; // BINGET
                case (byte)'j': Push(Recall(BinaryPrimitives.ReadUInt32LittleEndian(Take(4)))); break; // LONG_BINGET

                case (byte)'c': Push(Global(Line(), Line())); break; // GLOBAL
                case 0x93: // STACK_GLOBAL
                {
                    var name = Pop();
                    var module = Pop();
                    if (module is not string m || name is not string n) throw Corrupt($"STACK_GLOBAL at byte {at} without two strings");
                    Push(Global(m, n));
                    break;
                }
                case (byte)'i': // INST: the class is named inline, its arguments follow the mark
                {
                    var cls = Global(Line(), Line());
                    Push(Instantiate(cls, PopMark().ToArray(), "INST"));
                    break;
                }
                case (byte)'o': // OBJ
                {
                    var items = PopMark();
                    if (items.Count == 0) throw Corrupt($"OBJ at byte {at} without a class");
                    Push(Instantiate(items[0], items.Skip(1).ToArray(), "OBJ"));
                    break;
                }
                case 0x81: // NEWOBJ
                {
                    var args = Pop();
                    var cls = Pop();
                    Push(Instantiate(cls, TupleArg(args, "NEWOBJ"), "NEWOBJ"));
                    break;
                }
                case 0x92: // NEWOBJ_EX
                {
                    var kwargs = Pop();
                    var args = Pop();
                    var cls = Pop();
                    if (kwargs is not PickleDict { Count: 0 }) throw Refuse($"NEWOBJ_EX of {Describe(cls)} with keyword arguments");
                    Push(Instantiate(cls, TupleArg(args, "NEWOBJ_EX"), "NEWOBJ_EX"));
                    break;
                }
                case (byte)'R': // REDUCE
                {
                    var args = Pop();
                    var callable = Pop();
                    Push(Reduce(callable, TupleArg(args, "REDUCE")));
                    break;
                }
                case (byte)'b': Build(Pop(), Peek()); break; // BUILD
                case (byte)'Q': Push(PersistentLoad(Pop())); break; // BINPERSID

                case (byte)'P': throw Refuse("a text persistent id (PERSID), which torch.save never writes");
                case 0x82 or 0x83 or 0x84: // EXT1/2/4
                    throw Refuse("a global through the copyreg extension registry (EXT opcode)");
                case 0x97 or 0x98: // NEXT_BUFFER, READONLY_BUFFER
                    throw Refuse("out-of-band pickle buffers");
                case 0x8f or 0x90 or 0x91: // EMPTY_SET, ADDITEMS, FROZENSET
                    throw Refuse("a set, which no state dict holds");
                default:
                    throw Corrupt($"unknown pickle opcode 0x{op:x2} at byte {at}");
            }
        }
    }

    // ---- globals and the few callables they may stand for -------------------------------------------------------

    private PickleGlobal Global(string module, string name)
    {
        if (!PickleAllowList.IsAllowed(module, name))
            throw new InputException(_path, $"refuses to load: the pickle references {module}.{name}; only tensors and plain containers are allowed");
        return new PickleGlobal(module, name);
    }

    private object? Reduce(object? callable, object?[] args)
    {
        if (callable is not PickleGlobal g || !PickleAllowList.TryClassify(g.Module, g.Name, out var kind))
            throw Refuse($"a call of {Describe(callable)}");
        switch (kind)
        {
            case PickleAllowList.Kind.OrderedDict:
                if (args.Length != 0) throw Corrupt("collections.OrderedDict called with arguments (torch.save never does)");
                return new PickleDict(ordered: true);
            case PickleAllowList.Kind.RebuildTensorV2:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks[, metadata])
                if (args.Length is not (6 or 7)) throw Corrupt($"_rebuild_tensor_v2 with {args.Length} arguments");
                CheckTensorExtras(args, 4, 5);
                var storage = StorageArg(args[0]);
                return Tensor(storage, storage.DType ?? torch.ScalarType.Byte, args[1], args[2], args[3]);
            case PickleAllowList.Kind.RebuildTensorV3:
                // (storage, storage_offset, size, stride, requires_grad, backward_hooks, dtype[, metadata])
                if (args.Length is not (7 or 8)) throw Corrupt($"_rebuild_tensor_v3 with {args.Length} arguments");
                CheckTensorExtras(args, 4, 5);
                if (args[6] is not PickleGlobal dt || TorchDTypes.FromPyTorchName(dt.Name) is not { } dtype || dt.Module != "torch")
                    throw Corrupt($"_rebuild_tensor_v3 with dtype {Describe(args[6])}");
                return Tensor(StorageArg(args[0]), dtype, args[1], args[2], args[3]);
            case PickleAllowList.Kind.RebuildParameter:
                // (data, requires_grad, backward_hooks): an nn.Parameter is its data tensor here.
                if (args.Length != 3 || args[0] is not TorchTensorReference data) throw Corrupt("_rebuild_parameter without a tensor");
                CheckTensorExtras(args, 1, 2);
                return data;
            default:
                throw Refuse($"a call of {g.FullName}");
        }
    }

    private object Instantiate(object? cls, object?[] args, string opcode)
    {
        // Only an empty OrderedDict can be created this way; every other allowed global is a function or a marker.
        if (cls is PickleGlobal g && PickleAllowList.TryClassify(g.Module, g.Name, out var kind) &&
            kind == PickleAllowList.Kind.OrderedDict && args.Length == 0)
            return new PickleDict(ordered: true);
        throw Refuse($"{opcode} of {Describe(cls)}");
    }

    private void Build(object? state, object? target)
    {
        // OrderedDict.__reduce__ hands its instance __dict__ to BUILD; state_dict() sets _metadata on it.
        if (target is PickleDict dict && (state is PickleDict or null || state is object?[] { Length: 2 }))
        {
            dict.Attributes = state;
            return;
        }
        throw Refuse($"BUILD (setting state) on {Describe(target)}");
    }

    private TorchStorageReference PersistentLoad(object? pid)
    {
        if (pid is not object?[] { Length: 5 } t || t[0] is not "storage")
            throw Refuse($"persistent id {Describe(pid)} (only ('storage', …) tuples are tensor data)");
        if (t[1] is not PickleGlobal type || !PickleAllowList.TryClassify(type.Module, type.Name, out var kind) ||
            kind is not (PickleAllowList.Kind.StorageClass or PickleAllowList.Kind.UntypedStorage))
            throw Corrupt($"storage persistent id with storage type {Describe(t[1])}");
        // numel bounded so that its byte count cannot overflow; the zip record's real size is checked later.
        if (t[2] is not string key || t[3] is not string location || t[4] is not long numel || numel is < 0 or > long.MaxValue / 16)
            throw Corrupt($"malformed storage persistent id ({Describe(t[2])}, {Describe(t[3])}, {Describe(t[4])})");
        if (key.Length == 0 || key.Contains('/') || key.Contains('\\') || key.Contains(".."))
            throw Corrupt($"storage key '{key}' is not a plain record name");
        var dtype = kind == PickleAllowList.Kind.StorageClass ? TorchDTypes.FromStorageClass(type.Name) : null;
        return new TorchStorageReference(key, dtype, location, numel);
    }

    private TorchTensorReference Tensor(TorchStorageReference storage, torch.ScalarType dtype, object? offset, object? size, object? stride)
    {
        if (offset is not long o || o < 0) throw Corrupt($"tensor with storage offset {Describe(offset)}");
        var shape = Longs(size, "size");
        var strides = Longs(stride, "stride");
        if (shape.Length != strides.Length) throw Corrupt($"tensor with {shape.Length} sizes but {strides.Length} strides");
        return new TorchTensorReference(storage, dtype, o, shape, strides);
    }

    private void CheckTensorExtras(object?[] args, int requiresGrad, int hooks)
    {
        if (args[requiresGrad] is not bool) throw Corrupt($"tensor with requires_grad {Describe(args[requiresGrad])}");
        // Backward hooks would be pickled callables, which the allow-list already refuses; a non-empty dict here is
        // a hand-made pickle.
        if (args[hooks] is not (PickleDict { Count: 0 } or null)) throw Corrupt("tensor with backward hooks");
    }

    private TorchStorageReference StorageArg(object? value) =>
        value as TorchStorageReference ?? throw Corrupt($"tensor rebuilt from {Describe(value)} instead of a storage");

    private long[] Longs(object? value, string what)
    {
        if (value is not object?[] items) throw Corrupt($"tensor {what} {Describe(value)} is not a tuple");
        var result = new long[items.Length];
        for (var i = 0; i < items.Length; i++)
            result[i] = items[i] is long v && v >= 0 ? v : throw Corrupt($"tensor {what} holds {Describe(items[i])}");
        return result;
    }

    private object?[] TupleArg(object? args, string opcode) =>
        args as object?[] ?? throw Corrupt($"{opcode} arguments are {Describe(args)}, not a tuple");

    // ---- stack, marks, memo ---------------------------------------------------------------------------------------

    private void Push(object? value) => _stack.Add(value);

    private object? Peek() => _stack.Count > (_marks.Count > 0 ? _marks.Peek() : 0)
        ? _stack[^1]
        : throw Corrupt($"stack underflow at byte {_pos - 1}");

    private object? Pop()
    {
        var value = Peek();
        _stack.RemoveAt(_stack.Count - 1);
        return value;
    }

    private List<object?> PopMark()
    {
        if (_marks.Count == 0) throw Corrupt($"opcode at byte {_pos - 1} needs a MARK but none is open");
        var mark = _marks.Pop();
        var items = _stack.GetRange(mark, _stack.Count - mark);
        _stack.RemoveRange(mark, _stack.Count - mark);
        return items;
    }

    private object? Recall(long index) =>
        _memo.TryGetValue(index, out var value) ? value : throw Corrupt($"memo entry {index} is read before it is written");

    private List<object?> ListAt(object? target, string opcode) =>
        target as List<object?> ?? throw Refuse($"{opcode} on {Describe(target)} (only lists can be appended to)");

    private PickleDict DictAt(object? target, string opcode) =>
        target as PickleDict ?? throw Refuse($"{opcode} on {Describe(target)} (only dicts can take items)");

    private void SetItems(PickleDict dict, List<object?> items)
    {
        if (items.Count % 2 != 0) throw Corrupt("SETITEMS/DICT with an odd number of values");
        for (var i = 0; i < items.Count; i += 2) SetItem(dict, items[i], items[i + 1]);
    }

    private void SetItem(PickleDict dict, object? key, object? value)
    {
        if (!IsHashable(key)) throw Corrupt($"dict key {Describe(key)} is not hashable");
        dict.Set(key, value);
    }

    private static bool IsHashable(object? key) => key switch
    {
        null or string or long or BigInteger or double or bool or byte[] or PickleGlobal => true,
        object?[] tuple => tuple.All(IsHashable),
        _ => false,
    };

    // ---- raw reads ------------------------------------------------------------------------------------------------

    private byte ReadByte() => Take(1)[0];

    private ReadOnlySpan<byte> Take(long count)
    {
        if (count < 0 || count > _data.Length - _pos) throw Truncated();
        var span = Data.Slice(_pos, (int)count);
        _pos += (int)count;
        return span;
    }

    private ulong ReadUInt64() => BinaryPrimitives.ReadUInt64LittleEndian(Take(8));

    private long ReadLength32() => BinaryPrimitives.ReadUInt32LittleEndian(Take(4));

    private long ReadLength64()
    {
        var n = ReadUInt64();
        return n > (ulong)(_data.Length - _pos) ? throw Truncated() : (long)n;
    }

    private ReadOnlySpan<byte> ReadLine()
    {
        var rest = Data[_pos..];
        var end = rest.IndexOf((byte)'\n');
        if (end < 0) throw Truncated();
        _pos += end + 1;
        return rest[..end];
    }

    private string Line() => Utf8(ReadLine());

    private string Utf8(ReadOnlySpan<byte> bytes) => PickleLiterals.Utf8(bytes, _path);

    // ---- errors ---------------------------------------------------------------------------------------------------

    private InputException Refuse(string what) =>
        new(_path, $"refuses to load: the pickle uses {what}; only tensors and plain containers are allowed");

    private InputException Corrupt(string problem) => new(_path, $"corrupt checkpoint: {problem}");

    private InputException Truncated() =>
        Corrupt($"the pickle ends at byte {_data.Length} in the middle of an opcode (truncated)");

    private static string Describe(object? value) => value switch
    {
        null => "None",
        PickleGlobal g => g.FullName,
        string s => $"'{PickleLiterals.Shorten(s)}'",
        long or double or bool or BigInteger => Convert.ToString(value, CultureInfo.InvariantCulture)!,
        PickleDict => "a dict",
        List<object?> => "a list",
        object?[] t => $"a {t.Length}-tuple",
        byte[] => "bytes",
        TorchTensorReference => "a tensor",
        TorchStorageReference => "a storage",
        _ => value.GetType().Name,
    };

}
