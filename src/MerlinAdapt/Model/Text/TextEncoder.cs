using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Text;

/// <summary>
/// Merlin's `encode_text`: `text_encoder` (Clinical-Longformer) and `linear_layer` (hidden → 512, with bias) applied
/// to the last-layer state of the first token, &lt;s&gt; (merlin-model.md §2.6) — not the pooler, not a mean.
/// </summary>
public sealed class TextEncoder : nn.Module<Tensor, Tensor, TextFeatures>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly LongformerModel text_encoder;
    internal nn.Module<Tensor, Tensor> linear_layer;
#pragma warning restore IDE1006

    public TextEncoder(TextEncoderConfig config) : base(nameof(TextEncoder))
    {
        text_encoder = new LongformerModel(config);
        linear_layer = nn.Linear(config.HiddenSize, config.ProjectionSize);
        RegisterComponents();
    }

    public LongformerModel Longformer => text_encoder;

    public TextEncoderConfig Config => text_encoder.Config;

    /// <param name="ids">(B, L) int64 token ids, right-padded with the pad id.</param>
    /// <param name="mask">(B, L) int64, 1 = token, 0 = pad.</param>
    public override TextFeatures forward(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var hidden = text_encoder.call(ids, mask);
        var cls = hidden.select(1, 0);
        var projection = linear_layer.call(cls);
        return new TextFeatures(hidden.MoveToOuterDisposeScope(), cls.MoveToOuterDisposeScope(), projection.MoveToOuterDisposeScope());
    }
}
