using TorchSharp;
using MerlinAdapt.Model;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// One optimiser step's gradients over an effective batch of micro-batches, two ways:
/// plain accumulation (the paper's: a separate in-batch InfoNCE per micro-batch, gradients averaged) and GradCache
/// (Gao et al.): embeddings of the whole effective batch without a graph, one InfoNCE over the full similarity
/// matrix, then each micro-batch re-run with its cached embedding gradient — the full-batch gradient in the memory
/// of one micro-batch. The random state is replayed for the re-run so dropout masks match; BatchNorm statistics are
/// restored after the graph-free pass so they are updated once.
/// </summary>
/// <remarks>
/// With a phenotype weight w and micro-batches that carry phenotype labels, each micro-batch adds w × the binary
/// cross-entropy of the image classifier head's first K outputs (Merlin's pretraining objective beside InfoNCE).
/// </remarks>
public sealed class ContrastiveStep(MerlinModel model, double phenotypeWeight = 0)
{
    // Kept alive in a field: an implicit Scalar could be finalised during the native call.
    private readonly Scalar _phenotypeWeight = phenotypeWeight;

    /// <summary>Back-propagates one effective batch; returns its loss.</summary>
    public double Run(IReadOnlyList<MicroBatch> microBatches, bool gradCache) =>
        gradCache ? RunGradCache(microBatches) : RunAccumulated(microBatches);

    /// <summary>w × BCE of the classifier head's first K outputs against the batch's labels; null without labels or weight.</summary>
    private Tensor? PhenotypeLoss(Model.Image.ImageFeatures image, MicroBatch b)
    {
        if (b.Phenotypes is null || phenotypeWeight <= 0) return null;
        var logits = image.Phenotypes.narrow(1, 0, b.Phenotypes.shape[1]);
        return nn.functional.binary_cross_entropy_with_logits(logits, b.Phenotypes) * _phenotypeWeight;
    }

    private double RunAccumulated(IReadOnlyList<MicroBatch> microBatches)
    {
        double total = 0;
        foreach (var b in microBatches)
        {
            using var scope = NewDisposeScope();
            using var image = model.EncodeImage(b.Volumes);
            using var text = model.EncodeText(b.Ids, b.Mask);
            var loss = ContrastiveLoss.SymmetricInfoNce(model, image.Contrastive, text.Projection);
            if (PhenotypeLoss(image, b) is { } phenotype) loss = loss.add(phenotype, KeptScalars.One);
            using var count = microBatches.Count.ToScalar();
            loss.div(count).backward();
            total += loss.ToDouble();
        }
        return total / microBatches.Count;
    }

    private double RunGradCache(IReadOnlyList<MicroBatch> microBatches)
    {
        var rngStates = new List<Tensor>();
        var images = new List<Tensor>();
        var texts = new List<Tensor>();
        using var buffers = new BufferSnapshot(model);
        using (no_grad())
            foreach (var b in microBatches)
            {
                rngStates.Add(random.get_rng_state());
                using var image = model.EncodeImage(b.Volumes);
                using var text = model.EncodeText(b.Ids, b.Mask);
                images.Add(image.Contrastive.clone());
                texts.Add(text.Projection.clone());
            }
        buffers.Restore();
        var afterForward = random.get_rng_state();

        double lossValue;
        List<Tensor> imageGrads, textGrads;
        using (var scope = NewDisposeScope())
        {
            var allImages = cat(images, 0).requires_grad_(true);
            var allTexts = cat(texts, 0).requires_grad_(true);
            var loss = ContrastiveLoss.SymmetricInfoNce(model, allImages, allTexts);
            loss.backward(); // also the temperature's gradient
            lossValue = loss.ToDouble();
            var sizes = microBatches.Select(b => b.Volumes.shape[0]).ToArray();
            imageGrads = allImages.grad!.split(sizes).Select(g => g.clone().MoveToOuterDisposeScope()).ToList();
            textGrads = allTexts.grad!.split(sizes).Select(g => g.clone().MoveToOuterDisposeScope()).ToList();
        }

        for (var k = 0; k < microBatches.Count; k++)
        {
            using var scope = NewDisposeScope();
            random.set_rng_state(rngStates[k]);
            var b = microBatches[k];
            using var image = model.EncodeImage(b.Volumes);
            using var text = model.EncodeText(b.Ids, b.Mask);
            var surrogate = (image.Contrastive * imageGrads[k]).sum().add((text.Projection * textGrads[k]).sum(), KeptScalars.One);
            if (PhenotypeLoss(image, b) is { } phenotype)
            {
                using var count = microBatches.Count.ToScalar();
                surrogate = surrogate.add(phenotype.div(count), KeptScalars.One);
                lossValue += phenotype.ToDouble() / microBatches.Count;
            }
            surrogate.backward();
        }
        random.set_rng_state(afterForward);
        foreach (var t in rngStates.Concat(images).Concat(texts).Concat(imageGrads).Concat(textGrads).Append(afterForward)) t.Dispose();
        return lossValue;
    }
}

/// <summary>A micro-batch on the model's device: volumes (B, 1, X, Y, Z), token ids and mask (B, L), and optional phenotype labels (B, K).</summary>
public sealed record MicroBatch(Tensor Volumes, Tensor Ids, Tensor Mask, Tensor? Phenotypes = null) : IDisposable
{
    public void Dispose()
    {
        Volumes.Dispose();
        Ids.Dispose();
        Mask.Dispose();
        Phenotypes?.Dispose();
    }
}
