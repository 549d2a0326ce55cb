using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.RegularExpressions;
using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// Reads the tensors of a PyTorch checkpoint written by <c>torch.save</c> (zip format, torch ≥ 1.6) without executing
/// anything in it: <c>&lt;archive&gt;/data.pkl</c> goes through <see cref="PickleReader"/>'s allow-list first, and
/// only when the whole pickle has been accepted are the storages <c>&lt;archive&gt;/data/&lt;key&gt;</c> read, each once,
/// straight into tensor memory. Storage offsets and strides are honoured (tensors sharing one storage, transposed
/// views: fixture e2), which TorchSharp.PyBridge gets wrong, and 0-d tensors stay 0-d, which PyBridge turns into [1]
/// (notes/dotnet-stack.md §6).
/// <para>
/// The archive folder is whatever the writer chose (torch 1.13 uses the file stem, others <c>archive/</c>); extra
/// members (<c>version</c>, <c>byteorder</c>, <c>.data/serialization_id</c>) are tolerated. The legacy pre-1.6 format is
/// refused with advice rather than parsed, and a big-endian checkpoint is refused rather than byte-swapped. Every
/// problem with the file is an <see cref="InputException"/> naming it.
/// </para>
/// </summary>
public static class TorchCheckpointReader
{
    /// <summary>The top-level key a training checkpoint keeps its weights under (Lightning, most training scripts).</summary>
    public const string StateDictKey = "state_dict";

    private const long MaxPickleBytes = 1L << 30;

    // The magic number torch.save's legacy format pickles first (torch/serialization.py MAGIC_NUMBER), as LONG1 bytes.
    private static readonly byte[] LegacyMagic = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

    private static readonly Regex PickleMember = new(@"^(?<archive>[^/]+)/data\.pkl$", RegexOptions.CultureInvariant);

    /// <summary>
    /// The state dict in <paramref name="path"/>: the top-level dict of tensors, or the dict under
    /// <see cref="StateDictKey"/> when the top level wraps it (reported in <see cref="TorchStateDict.WrapperKey"/>).
    /// </summary>
    public static TorchStateDict Read(string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("checkpoint reading assumes a little-endian machine");
        using var file = Open(path);
        CheckSignature(file, path);
        using var zip = OpenZip(file, path);
        var archive = FindArchive(zip, path);
        CheckByteOrder(zip, archive, path);
        var root = PickleReader.Read(ReadPickle(zip, archive, path), path);
        var (stateDict, wrapperKey) = SelectStateDict(root, path);

        var tensors = new List<(string Name, TorchTensorReference Tensor)>();
        var nonTensor = new List<string>();
        foreach (var (key, value) in stateDict.Entries)
        {
            if (key is not string name)
                throw new InputException(path, $"the state dict has a key {key ?? "None"} that is not a string");
            if (value is TorchTensorReference tensor) tensors.Add((name, tensor));
            else nonTensor.Add(name);
        }
        return new TorchStateDict(path, Materialize(zip, archive, tensors, path), wrapperKey, nonTensor);
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16);
        }
        catch (FileNotFoundException) { throw new InputException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InputException(path, "file not found"); }
        catch (UnauthorizedAccessException) { throw new InputException(path, "permission denied"); }
    }

    private static void CheckSignature(FileStream file, string path)
    {
        Span<byte> head = stackalloc byte[LegacyMagic.Length];
        var n = file.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        file.Position = 0;
        head = head[..n];
        if (n == 0) throw new InputException(path, "file is empty");
        if (head.StartsWith("PK\x03\x04"u8) || head.StartsWith("PK\x05\x06"u8)) return;
        if (head.SequenceEqual(LegacyMagic))
            throw new InputException(path, "unsupported legacy (pre-1.6, non-zip) PyTorch format; re-save it with torch ≥ 1.6 " +
                                           "(torch.save(torch.load(f), f2) writes the zip format)");
        if (head[0] == 0x80)
            throw new InputException(path, "is a bare pickle, not a torch.save checkpoint (no zip archive)");
        throw new InputException(path, "not a PyTorch checkpoint: no zip signature (torch.save writes a zip archive since torch 1.6)");
    }

    private static ZipArchive OpenZip(FileStream file, string path)
    {
        try
        {
            return new ZipArchive(file, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            throw new InputException(path, $"corrupt or truncated checkpoint: the zip archive is incomplete ({e.Message})", e);
        }
    }

    private static string FindArchive(ZipArchive zip, string path)
    {
        var archives = zip.Entries.Select(e => PickleMember.Match(e.FullName)).Where(m => m.Success)
            .Select(m => m.Groups["archive"].Value).Distinct().ToList();
        return archives.Count switch
        {
            1 => archives[0],
            0 => throw new InputException(path, "not a torch.save checkpoint: the zip has no <folder>/data.pkl"),
            _ => throw new InputException(path, $"ambiguous checkpoint: the zip holds {archives.Count} data.pkl records ({string.Join(", ", archives)})"),
        };
    }

    private static void CheckByteOrder(ZipArchive zip, string archive, string path)
    {
        // torch ≥ 1.13 records the writer's byte order; older files have none and were little-endian in practice.
        var entry = zip.GetEntry($"{archive}/byteorder");
        if (entry is null) return;
        var order = Encoding.ASCII.GetString(ReadEntry(entry, 64, path)).Trim();
        if (order == "little") return;
        if (order == "big")
            throw new InputException(path, "unsupported big-endian checkpoint (byteorder = big); re-save it on a little-endian machine");
        throw new InputException(path, $"corrupt checkpoint: byteorder record says '{order}'");
    }

    private static byte[] ReadPickle(ZipArchive zip, string archive, string path) =>
        ReadEntry(zip.GetEntry($"{archive}/data.pkl")!, MaxPickleBytes, path);

    private static byte[] ReadEntry(ZipArchiveEntry entry, long limit, string path)
    {
        if (entry.Length > limit)
            throw new InputException(path, $"corrupt checkpoint: {entry.FullName} is {entry.Length} bytes (more than {limit})");
        try
        {
            using var stream = entry.Open();
            var bytes = new byte[entry.Length];
            stream.ReadExactly(bytes);
            return bytes;
        }
        catch (Exception e) when (e is InvalidDataException or IOException)
        {
            throw new InputException(path, $"corrupt or truncated checkpoint: cannot read {entry.FullName} ({e.Message})", e);
        }
    }

    private static (PickleDict Dict, string? WrapperKey) SelectStateDict(object? root, string path)
    {
        if (root is not PickleDict dict)
            throw new InputException(path, $"holds a {Describe(root)} at the top level, not a state dict (a dict of tensors)");
        if (dict.Count == 0 || dict.Entries.Any(e => e.Value is TorchTensorReference)) return (dict, null);
        if (dict.TryGetValue(StateDictKey, out var inner) && inner is PickleDict wrapped) return (wrapped, StateDictKey);
        var keys = string.Join(", ", dict.Entries.Take(10).Select(e => e.Key?.ToString() ?? "None"));
        throw new InputException(path, $"holds no tensors at the top level and no '{StateDictKey}' dict (top-level keys: {keys})");
    }

    /// <summary>
    /// Reads every storage that some tensor uses, once, and cuts the tensors out of it. A tensor that is its storage
    /// (the usual case) becomes a view of it without a copy; a slice or strided view is copied into its own
    /// contiguous tensor, so that no returned tensor aliases another.
    /// </summary>
    private static List<KeyValuePair<string, torch.Tensor>> Materialize(
        ZipArchive zip, string archive, List<(string Name, TorchTensorReference Tensor)> tensors, string path)
    {
        var results = new torch.Tensor?[tensors.Count];
        using (var scope = torch.NewDisposeScope())
        {
            var groups = tensors.Select((t, i) => (t.Tensor, Index: i)).GroupBy(t => t.Tensor.Storage.Key)
                .OrderBy(g => long.TryParse(g.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var k) ? k : long.MaxValue)
                .ThenBy(g => g.Key, StringComparer.Ordinal);
            foreach (var group in groups)
            {
                var members = group.ToList();
                var storage = CheckStorage(members.Select(m => m.Tensor).ToList(), path);
                var dtype = members[0].Tensor.DType;
                var numel = storage.ByteLength / TorchDTypes.ElementSize(dtype);
                foreach (var (tensor, index) in members) CheckExtent(tensors[index].Name, tensor, numel, path);

                var entry = zip.GetEntry($"{archive}/data/{storage.Key}")
                            ?? throw new InputException(path, $"corrupt checkpoint: storage record data/{storage.Key} is missing");
                if (entry.Length != storage.ByteLength)
                    throw new InputException(path, $"corrupt checkpoint: storage record data/{storage.Key} holds {entry.Length} bytes, " +
                                                   $"its pickle promises {storage.ByteLength}");
                var flat = torch.empty(numel, dtype);
                try
                {
                    using var stream = entry.Open();
                    TensorBytes.ReadInto(stream, flat);
                }
                catch (Exception e) when (e is InvalidDataException or IOException)
                {
                    throw new InputException(path, $"corrupt or truncated checkpoint: cannot read storage data/{storage.Key} ({e.Message})", e);
                }

                foreach (var (tensor, index) in members)
                {
                    if (members.Count == 1 && tensor.StorageOffset == 0 && tensor.Numel == numel && IsContiguous(tensor.Shape, tensor.Stride))
                    {
                        results[index] = flat.reshape(tensor.Shape);
                        continue;
                    }
                    var own = torch.empty(tensor.Shape, dtype);
                    using var view = flat.as_strided(tensor.Shape, tensor.Stride, tensor.StorageOffset);
                    own.copy_(view);
                    results[index] = own;
                }
            }
            foreach (var t in results) t!.MoveToOuterDisposeScope();
        }
        return tensors.Select((t, i) => new KeyValuePair<string, torch.Tensor>(t.Name, results[i]!)).ToList();
    }

    private static TorchStorageReference CheckStorage(List<TorchTensorReference> views, string path)
    {
        var first = views[0];
        foreach (var v in views)
        {
            if (v.Storage.DType != first.Storage.DType || v.Storage.Numel != first.Storage.Numel)
                throw new InputException(path, $"corrupt checkpoint: storage {first.Storage.Key} is described twice, differently");
            if (v.DType != first.DType)
                throw new InputException(path, $"unsupported checkpoint: storage {first.Storage.Key} is viewed as both " +
                                               $"{TorchDTypes.PyTorchName(first.DType)} and {TorchDTypes.PyTorchName(v.DType)}");
        }
        if (first.Storage.ByteLength % TorchDTypes.ElementSize(first.DType) != 0)
            throw new InputException(path, $"corrupt checkpoint: storage {first.Storage.Key} of {first.Storage.ByteLength} bytes " +
                                           $"is not a whole number of {TorchDTypes.PyTorchName(first.DType)} elements");
        return first.Storage;
    }

    private static void CheckExtent(string name, TorchTensorReference t, long storageNumel, string path)
    {
        try
        {
            if (t.Numel == 0) return;
            var last = t.StorageOffset;
            for (var d = 0; d < t.Shape.Length; d++) last = checked(last + (t.Shape[d] - 1) * t.Stride[d]);
            if (last < storageNumel) return;
        }
        catch (OverflowException) { }
        throw new InputException(path, $"corrupt checkpoint: tensor '{name}' (offset {t.StorageOffset}, shape [{string.Join(",", t.Shape)}], " +
                                       $"stride [{string.Join(",", t.Stride)}]) reaches past its storage of {storageNumel} elements");
    }

    private static bool IsContiguous(long[] shape, long[] stride)
    {
        long expected = 1;
        for (var d = shape.Length - 1; d >= 0; d--)
        {
            if (shape[d] != 1 && stride[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    private static string Describe(object? value) => value switch
    {
        null => "None",
        List<object?> => "list",
        object?[] => "tuple",
        TorchTensorReference => "single tensor",
        _ => value.GetType().Name,
    };
}
