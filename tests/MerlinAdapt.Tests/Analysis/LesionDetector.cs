using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

/// <summary>
/// Hand-set image-tower weights whose response is known, for GradCAM tests. Layer4 channel 0 is a pyramid of 2×2×2
/// box means of a band-pass detector that fires only on 190..270 HU (a 230 HU lesion; no tissue of
/// <see cref="AbdomenPhantom"/> lies in that band); every other layer4 channel is 0. The contrastive head maps
/// channel 0 along a direction u and adds an offset c ⟂ u, so the score ê·u rises with the detector: with p the
/// pooled channel 0 and |c| = 1, score = p|u|²/|c + pu| and ∂score/∂p = |u|²/|c + pu|³ > 0.
/// </summary>
internal static class LesionDetector
{
    public const double LesionHu = 230;
    private const double LowHu = 190;

    /// <summary>A 230 HU sphere in the liver of the standard phantom (RAS mm), drawn on a RAS or LPS grid.</summary>
    public static SyntheticScanSpec Scan(SyntheticLesion lesion, AxisConvention convention = AxisConvention.Ras) => new()
    {
        // 128×128×64 at 1.5×1.5×3 mm: layer4 is 4×4×4 cells of 48 mm, small enough to resolve a 20 mm lesion.
        Size = [128, 128, 64],
        Spacing = [1.5, 1.5, 3],
        Convention = convention,
        NoiseHu = 5,
        Seed = 11,
        Lesions = [lesion],
    };

    public static PreprocessingOptions Preprocessing { get; } = new() { Spacing = [1.5, 1.5, 3], Size = [128, 128, 64] };

    /// <summary>An image-only model (two stem channels, width-2 stages) with the detector weights.</summary>
    public static MerlinModel ImageOnly(Tensor direction, Tensor offset)
    {
        var model = new MerlinModel(new MerlinConfig
        {
            Preset = "lesion-detector",
            Image = new ImageEncoderConfig { Blocks = [1, 1, 1, 1], Planes = [2, 2, 2, 2], StemChannels = 2, Phenotypes = 1, EmbeddingSize = (int)direction.shape[0] },
        });
        Apply(model, direction, offset);
        return model;
    }

    /// <summary>Overwrites every image-tower weight of <paramref name="model"/> (eval mode afterwards).</summary>
    public static void Apply(MerlinModel model, Tensor direction, Tensor offset)
    {
        var net = model.Image.Network;
        using var noGrad = no_grad();
        foreach (var module in model.Image.modules())
        {
            if (module is Conv3d conv)
            {
                conv.weight!.zero_();
                conv.bias?.zero_();
            }
            else if (module is MerlinAdapt.Model.Image.BatchNorm3d bn)
            {
                bn.weight!.fill_(1);
                bn.bias!.zero_();
                bn.running_mean!.zero_();
                bn.running_var!.fill_(1);
            }
        }
        // Stem: channel 0 = relu(HU − 190), channel 1 = relu(HU − 230), from the centre tap (preprocessed units are
        // (HU − min) / range, so a BatchNorm gain of range gives HU differences).
        var p = Preprocessing;
        var range = p.HuMax - p.HuMin;
        net.conv1.weight![0, 0, 1, 3, 3] = tensor(1f);
        net.conv1.weight![1, 0, 1, 3, 3] = tensor(1f);
        net.bn1.weight!.fill_(range);
        net.bn1.running_mean![0] = tensor((float)((LowHu - p.HuMin) / range));
        net.bn1.running_mean![1] = tensor((float)((LesionHu - p.HuMin) / range));
        // layer1: relu(a − 2b), a triangle on 190..270 HU peaking at 230, passed through unchanged.
        var first = net.Stages[0][0];
        Weight(first.conv1)[0, 0] = tensor(1f);
        Weight(first.conv1)[0, 1] = tensor(-2f);
        Weight(first.conv2)[0, 0, 1, 1, 1] = tensor(1f);
        Weight(first.conv3)[0, 0] = tensor(1f);
        // layer2..4: channel 0 through, the stride-2 conv a 2×2×2 box mean over inputs 2o and 2o + 1 (kernel taps 1
        // and 2 with padding 1): each layer4 cell averages its own block of the input, centred where GradCAM's
        // trilinear upsampling puts it.
        for (var s = 1; s < 4; s++)
        {
            var block = net.Stages[s][0];
            Weight(block.conv1)[0, 0] = tensor(1f);
            Weight(block.conv2)[0, 0, TensorIndex.Slice(1, 3), TensorIndex.Slice(1, 3), TensorIndex.Slice(1, 3)] = tensor(1f / 8);
            Weight(block.conv3)[0, 0] = tensor(1f);
        }
        net.contrastive_head.weight![TensorIndex.Colon, 0, 0, 0, 0] = direction.to(float32);
        net.contrastive_head.bias!.copy_(offset.to(float32));
        model.eval();
    }

    private static Tensor Weight(nn.Module<Tensor, Tensor> conv) => ((Conv3d)conv).weight!;
}
