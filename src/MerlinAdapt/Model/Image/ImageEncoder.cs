using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>Merlin's `encode_image`: a wrapper whose only child is `i3_resnet` (hence the checkpoint prefix).</summary>
public sealed class ImageEncoder : nn.Module<Tensor, ImageFeatures>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly I3ResNet i3_resnet;
#pragma warning restore IDE1006

    public ImageEncoder(ImageEncoderConfig config) : base(nameof(ImageEncoder))
    {
        i3_resnet = new I3ResNet(config);
        RegisterComponents();
    }

    public I3ResNet Network => i3_resnet;

    public override ImageFeatures forward(Tensor volume) => i3_resnet.call(volume);
}
