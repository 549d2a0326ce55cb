using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using MerlinAdapt.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// 3-D GradCAM (Selvaraju et al., 2017) of the zero-shot score on the image encoder's last stage (layer4, the
/// (N, C, D=Z, H=X, W=Y) map): channel weights α_c = mean over D, H, W of ∂score/∂A_c, map = ReLU(Σ_c α_c A_c),
/// trilinearly upsampled to the input grid and min–max normalised to [0, 1]. The score is
/// <see cref="ZeroShotClassifier.Scores"/> (positive-class mean similarity − negative), so the map shows where the
/// evidence for the positive class lies. Uses the training-path I3ResNet (FusedI3ResNet folds BatchNorm and keeps
/// no graph) in eval mode; the model is left as it was found.
/// </summary>
public sealed class GradCam(MerlinModel model, ZeroShotClassifier classifier)
{
    /// <param name="scan">A preprocessed single-channel volume (X, Y, Z) = (R, A, S), the model's input grid.</param>
    public GradCamResult Compute(Volume scan)
    {
        if (scan.Channels != 1) throw new ArgumentException($"GradCAM takes one 3-D volume, got {scan.Channels} channels", nameof(scan));
        var network = model.Image.Network;
        var lastStage = network.Stages[^1];
        var lastBlock = lastStage[lastStage.Count - 1];
        var wasTraining = network.training;
        Tensor? layer4 = null;
        IDisposable? gradAfterLayer4 = null;
        // Everything up to layer4 runs without a graph; the hook swaps layer4 for a leaf that requires grad and turns
        // grad on for the rest of the forward (pool, heads). The backward from the score to layer4 needs only those:
        // for the full Merlin at 224×224×160 a whole-network graph would hold gigabytes of activations.
        var hook = lastBlock.register_forward_hook((_, _, output) =>
        {
            layer4 = output.detach().requires_grad_(true).DetachFromDisposeScope();
            gradAfterLayer4 = enable_grad();
            return layer4;
        });
        try
        {
            network.eval();
            using var scope = NewDisposeScope();
            ImageFeatures features;
            using (no_grad())
            {
                using var input = VolumeTensor.From(scan);
                try { features = model.EncodeImage(input); }
                finally { gradAfterLayer4?.Dispose(); }
            }
            if (layer4 is null) throw new InvalidOperationException("the layer4 hook did not fire");
            var score = classifier.Scores(features.Contrastive);
            var gradient = autograd.grad([score.sum()], [layer4])[0];
            using var noGrad = no_grad();
            var weights = gradient.mean([2, 3, 4]);
            var cam = nn.functional.relu(layer4.detach().mul(weights.reshape(1, -1, 1, 1, 1)).sum(1, keepdim: true));
            // Min–max after the upsampling equals min–max before it (interpolation commutes with an affine map of the
            // values), except that the interpolated peak, which falls between voxel centres, is stretched to exactly 1.
            var upsampled = nn.functional.interpolate(cam, size: [scan.SizeZ, scan.SizeX, scan.SizeY], mode: InterpolationMode.Trilinear, align_corners: false);
            var (min, max) = (upsampled.min().ToSingle(), upsampled.max().ToSingle());
            var flat = !(max > min);
            using var low = min.ToScalar(); // see KeptScalars
            using var range = (max - min).ToScalar();
            var heat = flat ? zeros_like(upsampled) : upsampled.sub(low).div(range);
            // (1, 1, Z, X, Y) → X fastest, then Y, then Z: the Volume (NIfTI) order.
            var voxels = heat[0, 0].permute(0, 2, 1).contiguous().data<float>().ToArray();
            // A flat map has no peak: show the central planes.
            var peak = flat ? scan.Index(scan.SizeX / 2, scan.SizeY / 2, scan.SizeZ / 2) : ArgMax(voxels);
            var (pi, pj, pk) = (peak % scan.SizeX, peak / scan.SizeX % scan.SizeY, peak / (scan.SizeX * scan.SizeY));
            var prediction = classifier.Classify(features.Contrastive)[0];
            return new GradCamResult(
                new Volume(voxels, scan.SizeX, scan.SizeY, scan.SizeZ, scan.Affine),
                score.ToDouble(),
                prediction,
                weights[0].data<float>().ToArray(),
                [.. layer4.shape[2..].Select(s => (int)s)],
                flat,
                [pi, pj, pk],
                scan.Affine.Apply(pi, pj, pk));
        }
        finally
        {
            hook.remove();
            layer4?.Dispose();
            if (wasTraining) network.train();
        }
    }

    /// <summary>The first index of the largest value.</summary>
    private static int ArgMax(float[] values)
    {
        var best = 0;
        for (var i = 1; i < values.Length; i++)
            if (values[i] > values[best]) best = i;
        return best;
    }
}
