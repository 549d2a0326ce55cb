using MerlinAdapt.Cohorts;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Preprocessing;
using static TorchSharp.torch;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// Image and report embeddings of manifest entries (inference only): image contrastive embeddings through the fused
/// encoder, report embeddings through the sanitiser, tokenizer and text tower; both L2-normalised.
/// </summary>
public sealed class EmbeddingExtractor(MerlinModel model, TextTokenizer tokenizer, ScanSource scans)
{
    public Tensor Images(IReadOnlyList<ManifestEntry> entries, int batchSize, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        using var fused = new FusedI3ResNet(model.Image.Network);
        var parts = new List<Tensor>();
        for (var start = 0; start < entries.Count; start += batchSize)
        {
            cancel.ThrowIfCancellationRequested();
            using var scope = NewDisposeScope();
            var batch = entries.Skip(start).Take(batchSize).ToList();
            using var volumes = VolumeTensor.Batch(batch.Select(scans.Get));
            using var features = fused.Forward(volumes);
            parts.Add(features.Normalized().DetachFromDisposeScope());
            progress?.Report((start + batch.Count, entries.Count));
        }
        return Concatenate(parts);
    }

    public Tensor Reports(Manifest manifest, IReadOnlyList<ManifestEntry> entries)
    {
        using var noGrad = no_grad();
        var parts = new List<Tensor>();
        foreach (var chunk in entries.Chunk(8))
        {
            var batch = tokenizer.EncodeBatch(chunk.Select(e => ReportText.Of(manifest, e)).ToList(), model.Config.Text!.MaxTokens, sanitize: true);
            using var ids = tensor(batch.Ids);
            using var mask = tensor(batch.AttentionMask);
            using var f = model.EncodeText(ids, mask);
            parts.Add(f.Normalized());
        }
        return Concatenate(parts);
    }

    private static Tensor Concatenate(List<Tensor> parts)
    {
        var all = cat(parts, 0);
        foreach (var p in parts) p.Dispose();
        return all;
    }
}
