using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// Moves raw little-endian tensor data between a stream and a contiguous CPU tensor's own memory, without a managed
/// copy of the whole tensor (a 150 MB embedding table is read once, straight into place). TorchSharp exposes a tensor's
/// memory as a span of at most 2 GiB, so larger tensors go through 1-D slices.
/// </summary>
internal static class TensorBytes
{
    private const long ChunkBytes = 1L << 28;

    /// <summary>Fills <paramref name="tensor"/> with exactly its byte size from <paramref name="stream"/>.</summary>
    /// <exception cref="EndOfStreamException">the stream ends first.</exception>
    public static void ReadInto(Stream stream, torch.Tensor tensor) =>
        ForEachChunk(tensor, span => stream.ReadExactly(span));

    public static void WriteFrom(torch.Tensor tensor, Stream stream) =>
        ForEachChunk(tensor, span => stream.Write(span));

    private delegate void SpanAction(Span<byte> span);

    private static void ForEachChunk(torch.Tensor tensor, SpanAction action)
    {
        if (!tensor.is_contiguous() || tensor.device_type != DeviceType.CPU)
            throw new ArgumentException("tensor data can be streamed only from a contiguous CPU tensor", nameof(tensor));
        var elementSize = tensor.element_size();
        var numel = tensor.numel();
        if (numel == 0) return;
        if (numel * elementSize <= ChunkBytes)
        {
            action(tensor.bytes);
            return;
        }
        using var flat = tensor.reshape(numel);
        var perChunk = ChunkBytes / elementSize;
        for (long start = 0; start < numel; start += perChunk)
        {
            using var slice = flat.narrow(0, start, Math.Min(perChunk, numel - start));
            action(slice.bytes);
        }
    }
}
