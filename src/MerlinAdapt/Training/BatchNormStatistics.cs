using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// "Precise BatchNorm": the image tower's running statistics recomputed as an exact average over a set of scans with
/// the current weights (no gradients), instead of the exponential average that lags behind training. Over a new
/// hospital's scans this is also AdaBN (Li et al. 2016), the label-free part of ConvLoRA's recipe: a frozen network's
/// features re-normalised to the target domain.
/// </summary>
public static class BatchNormStatistics
{
    public static void Recompute(MerlinModel model, IEnumerable<string> studyIds, int batchSize, ScanSource scans)
    {
        if (!model.HasImageTower) return;
        var norms = model.Image.modules().OfType<Model.Image.BatchNorm3d>().ToList();
        if (norms.Count == 0) return;
        var momenta = norms.Select(n => n.momentum).ToList();
        // Each module's own mode: adapter modes train with BatchNorm in eval mode inside a training network.
        var modes = new[] { (Module: (nn.Module)model.Image, model.Image.training) }.Concat(model.Image.modules().Select(m => (Module: m, m.training))).ToList();
        try
        {
            foreach (var n in norms) n.reset_running_stats();
            model.Image.train();
            using var noGrad = no_grad();
            var k = 0;
            foreach (var chunk in studyIds.Chunk(Math.Max(2, batchSize)))
            {
                // Momentum 1/(k+1) makes the k-th batch's update a cumulative average over the batches so far.
                k++;
                foreach (var n in norms) n.momentum = 1.0 / k;
                using var scope = NewDisposeScope();
                using var volumes = VolumeTensor.Batch(chunk.Select(scans.Get));
                using var _ = model.EncodeImage(volumes);
            }
        }
        finally
        {
            foreach (var (n, m) in norms.Zip(momenta)) n.momentum = m;
            foreach (var (module, training) in modes) module.train(training);
        }
    }
}
