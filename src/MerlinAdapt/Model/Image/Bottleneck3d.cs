using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>
/// torchvision's Bottleneck (v1.5: stride on the 3×3 conv) inflated to 3-D, as in Merlin's I3ResNet
/// (merlin-model.md §1.2): 1×1×1 → 3×3×3 (stride s on depth too) → 1×1×1, BatchNorm after each, ReLU after the
/// first two; residual (downsampled in block 0) added before the last ReLU. Convolutions have no bias.
/// Field names are the checkpoint's key segments; convs are typed as modules so adapters can replace them.
/// </summary>
public sealed class Bottleneck3d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal nn.Module<Tensor, Tensor> conv1;
    internal readonly BatchNorm3d bn1;
    internal nn.Module<Tensor, Tensor> conv2;
    internal readonly BatchNorm3d bn2;
    internal nn.Module<Tensor, Tensor> conv3;
    internal readonly BatchNorm3d bn3;
    internal readonly Downsample3d? downsample;
#pragma warning restore IDE1006

    public Bottleneck3d(int inChannels, int planes, int stride, bool withDownsample) : base(nameof(Bottleneck3d))
    {
        conv1 = nn.Conv3d(inChannels, planes, (1, 1, 1), bias: false);
        bn1 = new BatchNorm3d(planes);
        conv2 = nn.Conv3d(planes, planes, (3, 3, 3), stride: (stride, stride, stride), padding: (1, 1, 1), bias: false);
        bn2 = new BatchNorm3d(planes);
        conv3 = nn.Conv3d(planes, 4 * planes, (1, 1, 1), bias: false);
        bn3 = new BatchNorm3d(4 * planes);
        if (withDownsample) downsample = new Downsample3d(inChannels, 4 * planes, stride);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var h = nn.functional.relu(bn1.call(conv1.call(x)));
        h = nn.functional.relu(bn2.call(conv2.call(h)));
        h = bn3.call(conv3.call(h));
        var identity = downsample is null ? x : downsample.call(x);
        return nn.functional.relu(h.add_(identity, KeptScalars.One)).MoveToOuterDisposeScope();
    }
}
