using System.Buffers.Binary;
using System.Text.Encodings.Web;
using System.Text.Json;
using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// Reads and writes the safetensors format: an 8-byte little-endian header length, a JSON header
/// (<c>{"__metadata__": {str: str}, name: {"dtype", "shape", "data_offsets": [begin, end]}}</c>, offsets relative to
/// the first data byte, padded with spaces to a multiple of 8 bytes), then the raw little-endian tensor bytes. Pure data,
/// so it is the format MerlinAdapt writes converted and fine-tuned weights in.
/// <para>
/// Our own implementation rather than TorchSharp.PyBridge's: its safetensors code (as read in its public repository)
/// is internal to the package, writes neither <c>__metadata__</c> nor the 8-byte header padding, counts the header
/// length in UTF-16 characters (wrong for non-ASCII names), needs contiguous tensors and checks nothing on load; using it
/// would also bring its general-purpose unpickler into the process. Here every dtype of <see cref="TorchDTypes"/>, 0-d
/// and empty tensors round-trip bit for bit, and loading checks the header as strictly as the reference implementation:
/// known dtypes, sizes that match the shapes, offsets that tile the data exactly; any violation is an
/// <see cref="InputException"/> naming the file.
/// </para>
/// </summary>
public static class SafetensorsFile
{
    public const string MetadataKey = "__metadata__";

    // The reference implementation refuses headers above 100 MB; a header that large is damage, not a model.
    private const long MaxHeaderBytes = 100_000_000;

    /// <summary>
    /// Writes <paramref name="tensors"/> (any device, layout or gradient state; stored contiguous, in the given order)
    /// atomically to <paramref name="path"/>.
    /// </summary>
    /// <exception cref="ArgumentException">a name repeats, is <see cref="MetadataKey"/>, or a dtype is unsupported.</exception>
    public static void Save(string path, IEnumerable<KeyValuePair<string, torch.Tensor>> tensors,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        using var scope = torch.NewDisposeScope();
        var entries = new List<(string Name, torch.Tensor Data, long Begin, long End)>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        long offset = 0;
        foreach (var (name, tensor) in tensors)
        {
            ArgumentNullException.ThrowIfNull(name, nameof(tensors));
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (name == MetadataKey) throw new ArgumentException($"'{MetadataKey}' is reserved and cannot name a tensor", nameof(tensors));
            if (!seen.Add(name)) throw new ArgumentException($"tensor name '{name}' appears twice", nameof(tensors));
            _ = TorchDTypes.SafetensorsName(tensor.dtype);
            var data = tensor.detach();
            if (data.device_type != DeviceType.CPU) data = data.cpu();
            data = data.contiguous();
            var bytes = data.numel() * data.element_size();
            entries.Add((name, data, offset, offset + bytes));
            offset += bytes;
        }

        var header = Header(entries.Select(e => (e.Name, e.Data.dtype, e.Data.shape, e.Begin, e.End)), metadata);
        // AtomicFile's stream is already buffered; tensors go straight from their memory into it.
        AtomicFile.Write(path, file =>
        {
            Span<byte> length = stackalloc byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(length, (ulong)header.Length);
            file.Write(length);
            file.Write(header);
            foreach (var entry in entries) TensorBytes.WriteFrom(entry.Data, file);
        });
    }

    /// <summary>Every tensor in the file (in header order, contiguous, CPU, stored dtype) and its metadata.</summary>
    public static TorchStateDict Load(string path)
    {
        if (!BitConverter.IsLittleEndian)
            throw new PlatformNotSupportedException("safetensors reading assumes a little-endian machine");
        using var file = Open(path);
        var (headerLength, infos, metadata) = ReadHeader(file, path);
        var dataStart = 8 + headerLength;
        CheckTiling(infos, file.Length - dataStart, path);

        var results = new torch.Tensor?[infos.Count];
        using (var scope = torch.NewDisposeScope())
        {
            foreach (var (info, index) in infos.Select((info, i) => (info, i)).OrderBy(x => x.info.Begin))
            {
                var tensor = torch.empty(info.Shape, info.DType);
                file.Position = dataStart + info.Begin;
                try { TensorBytes.ReadInto(file, tensor); }
                catch (EndOfStreamException) { throw Malformed(path, $"tensor '{info.Name}' is cut short (truncated file)"); }
                results[index] = tensor;
            }
            foreach (var t in results) t!.MoveToOuterDisposeScope();
        }
        var entries = infos.Select((info, i) => new KeyValuePair<string, torch.Tensor>(info.Name, results[i]!)).ToList();
        return new TorchStateDict(path, entries, metadata: metadata);
    }

    private sealed record TensorInfo(string Name, torch.ScalarType DType, long[] Shape, long Begin, long End);

    private static byte[] Header(IEnumerable<(string Name, torch.ScalarType DType, long[] Shape, long Begin, long End)> entries,
        IReadOnlyDictionary<string, string>? metadata)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            if (metadata is { Count: > 0 })
            {
                json.WriteStartObject(MetadataKey);
                foreach (var (key, value) in metadata) json.WriteString(key, value);
                json.WriteEndObject();
            }
            foreach (var (name, dtype, shape, begin, end) in entries)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", TorchDTypes.SafetensorsName(dtype));
                json.WriteStartArray("shape");
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(begin);
                json.WriteNumberValue(end);
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndObject();
        }
        // Spaces up to a multiple of 8, so that the data (and every 8-byte tensor in it) starts aligned.
        while (buffer.Length % 8 != 0) buffer.WriteByte((byte)' ');
        return buffer.ToArray();
    }

    private static FileStream Open(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20);
        }
        catch (FileNotFoundException) { throw new InputException(path, "file not found"); }
        catch (DirectoryNotFoundException) { throw new InputException(path, "file not found"); }
        catch (UnauthorizedAccessException) { throw new InputException(path, "permission denied"); }
    }

    private static (long HeaderLength, List<TensorInfo> Infos, Dictionary<string, string> Metadata) ReadHeader(FileStream file, string path)
    {
        Span<byte> prefix = stackalloc byte[8];
        if (file.ReadAtLeast(prefix, 8, throwOnEndOfStream: false) < 8)
            throw Malformed(path, $"file of {file.Length} bytes is too short for the 8-byte header length");
        var length = BinaryPrimitives.ReadUInt64LittleEndian(prefix);
        if (length == 0 || length > MaxHeaderBytes || length > (ulong)(file.Length - 8))
            throw Malformed(path, $"header length {length} does not fit the file of {file.Length} bytes");
        var header = new byte[length];
        file.ReadExactly(header);

        JsonDocument document;
        try { document = JsonDocument.Parse(header); }
        catch (JsonException e) { throw Malformed(path, $"header is not valid JSON ({e.Message})"); }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object) throw Malformed(path, "header is not a JSON object");
            var infos = new List<TensorInfo>();
            var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
            var names = new HashSet<string>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!names.Add(property.Name)) throw Malformed(path, $"header names '{property.Name}' twice");
                if (property.Name == MetadataKey) ReadMetadata(property.Value, metadata, path);
                else infos.Add(ReadTensorInfo(property.Name, property.Value, path));
            }
            return ((long)length, infos, metadata);
        }
    }

    private static void ReadMetadata(JsonElement element, Dictionary<string, string> metadata, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Malformed(path, $"{MetadataKey} is not an object");
        foreach (var item in element.EnumerateObject())
        {
            if (item.Value.ValueKind != JsonValueKind.String)
                throw Malformed(path, $"{MetadataKey} entry '{item.Name}' is not a string");
            metadata[item.Name] = item.Value.GetString()!;
        }
    }

    private static TensorInfo ReadTensorInfo(string name, JsonElement element, string path)
    {
        if (element.ValueKind != JsonValueKind.Object) throw Malformed(path, $"tensor '{name}' is not described by an object");
        if (!element.TryGetProperty("dtype", out var dtypeElement) || dtypeElement.ValueKind != JsonValueKind.String)
            throw Malformed(path, $"tensor '{name}' has no dtype");
        var dtypeName = dtypeElement.GetString()!;
        var dtype = TorchDTypes.FromSafetensorsName(dtypeName)
                    ?? throw new InputException(path, $"tensor '{name}' has dtype {dtypeName}, which MerlinAdapt does not read " +
                                                      "(supported: F32, F16, BF16, F64, I64, I32, I16, I8, U8, BOOL)");
        var shape = NonNegativeLongs(element, "shape", name, path);
        var offsets = NonNegativeLongs(element, "data_offsets", name, path);
        if (offsets.Length != 2 || offsets[1] < offsets[0])
            throw Malformed(path, $"tensor '{name}' has data_offsets [{string.Join(", ", offsets)}], not [begin, end]");
        try
        {
            var bytes = checked(shape.Aggregate(1L, (n, d) => checked(n * d)) * TorchDTypes.ElementSize(dtype));
            if (bytes != offsets[1] - offsets[0])
                throw Malformed(path, $"tensor '{name}' of {dtypeName} [{string.Join(", ", shape)}] needs {bytes} bytes " +
                                      $"but its data_offsets span {offsets[1] - offsets[0]}");
        }
        catch (OverflowException) { throw Malformed(path, $"tensor '{name}' has an impossibly large shape"); }
        return new TensorInfo(name, dtype, shape, offsets[0], offsets[1]);
    }

    private static long[] NonNegativeLongs(JsonElement element, string field, string name, string path)
    {
        if (!element.TryGetProperty(field, out var array) || array.ValueKind != JsonValueKind.Array)
            throw Malformed(path, $"tensor '{name}' has no {field} array");
        var values = new List<long>();
        foreach (var item in array.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.Number || !item.TryGetInt64(out var v) || v < 0)
                throw Malformed(path, $"tensor '{name}' has a {field} entry {item.GetRawText()} that is not a non-negative integer");
            values.Add(v);
        }
        return values.ToArray();
    }

    /// <summary>Offsets must tile [0, data length) exactly: no overlap (two tensors sharing bytes), no gap, no tail.</summary>
    private static void CheckTiling(List<TensorInfo> infos, long dataLength, string path)
    {
        long expected = 0;
        foreach (var info in infos.OrderBy(i => i.Begin).ThenBy(i => i.End))
        {
            if (info.Begin != expected)
                throw Malformed(path, info.Begin < expected
                    ? $"tensor '{info.Name}' overlaps the tensor before it (data_offsets start at {info.Begin}, expected {expected})"
                    : $"the data has a gap before tensor '{info.Name}' (bytes {expected}–{info.Begin})");
            expected = info.End;
        }
        if (expected != dataLength)
            throw Malformed(path, expected > dataLength
                ? $"the header describes {expected} data bytes but the file holds {dataLength} (truncated)"
                : $"the file holds {dataLength - expected} data bytes that no tensor describes");
    }

    private static InputException Malformed(string path, string problem) => new(path, $"malformed safetensors file: {problem}");
}
