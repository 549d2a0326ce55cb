using static TorchSharp.torch;

namespace MerlinAdapt.Model.Text;

/// <summary>What the text encoder returns: the last hidden state (B, L, hidden), its &lt;s&gt; row, and the projection before L2 normalisation.</summary>
public sealed record TextFeatures(Tensor Hidden, Tensor Cls, Tensor Projection) : IDisposable
{
    public Tensor Normalized() => nn.functional.normalize(Projection, p: 2, dim: -1);

    public void Dispose()
    {
        Hidden.Dispose();
        Cls.Dispose();
        Projection.Dispose();
    }
}
