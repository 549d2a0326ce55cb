using TorchSharp;
using TorchSharp.Modules;
using TorchSharp.Utils;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>
/// A bottleneck's shortcut projection: 1×1×1 conv with the block's stride, then BatchNorm — registered as children
/// "0" and "1" like torchvision's Sequential, so the keys are `downsample.0.weight` and `downsample.1.*`, but with
/// a replaceable conv field (adapters wrap it).
/// </summary>
public sealed class Downsample3d : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    [ComponentName(Name = "0")]
    internal nn.Module<Tensor, Tensor> conv;

    [ComponentName(Name = "1")]
    internal readonly BatchNorm3d bn;
#pragma warning restore IDE1006

    public Downsample3d(int inChannels, int outChannels, int stride) : base(nameof(Downsample3d))
    {
        conv = nn.Conv3d(inChannels, outChannels, (1, 1, 1), stride: (stride, stride, stride), bias: false);
        bn = new BatchNorm3d(outChannels);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return bn.call(conv.call(x)).MoveToOuterDisposeScope();
    }
}
