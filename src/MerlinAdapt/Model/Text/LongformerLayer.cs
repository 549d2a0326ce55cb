using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Text;

/// <summary>HF's attention.output / output blocks: dense → dropout → LayerNorm(h + residual).</summary>
public sealed class LongformerOutput : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal nn.Module<Tensor, Tensor> dense;
    internal readonly LayerNorm LayerNorm;
    internal readonly Dropout dropout;
#pragma warning restore IDE1006

    public LongformerOutput(int inputSize, TextEncoderConfig config) : base(nameof(LongformerOutput))
    {
        dense = nn.Linear(inputSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        RegisterComponents();
    }

    public override Tensor forward(Tensor h, Tensor residual)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.call(dropout.call(dense.call(h)).add(residual, KeptScalars.One)).MoveToOuterDisposeScope();
    }
}

/// <summary>HF's `attention` block: `self` (the windowed attention) and `output`.</summary>
public sealed class LongformerAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly LongformerSelfAttention self;
    internal readonly LongformerOutput output;
#pragma warning restore IDE1006

    public LongformerAttention(TextEncoderConfig config) : base(nameof(LongformerAttention))
    {
        self = new LongformerSelfAttention(config);
        output = new LongformerOutput(config.HiddenSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor tokenMask)
    {
        using var scope = NewDisposeScope();
        return output.call(self.call(x, tokenMask), x).MoveToOuterDisposeScope();
    }
}

/// <summary>HF's `intermediate`: dense → GELU (exact, erf).</summary>
public sealed class LongformerIntermediate : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal nn.Module<Tensor, Tensor> dense;
#pragma warning restore IDE1006

    public LongformerIntermediate(TextEncoderConfig config) : base(nameof(LongformerIntermediate))
    {
        dense = nn.Linear(config.HiddenSize, config.IntermediateSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        return nn.functional.gelu(dense.call(x)).MoveToOuterDisposeScope();
    }
}

/// <summary>One Longformer encoder layer (post-LayerNorm): attention, then the feed-forward block.</summary>
public sealed class LongformerLayer : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly LongformerAttention attention;
    internal readonly LongformerIntermediate intermediate;
    internal readonly LongformerOutput output;
#pragma warning restore IDE1006

    public LongformerLayer(TextEncoderConfig config) : base(nameof(LongformerLayer))
    {
        attention = new LongformerAttention(config);
        intermediate = new LongformerIntermediate(config);
        output = new LongformerOutput(config.IntermediateSize, config);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x, Tensor tokenMask)
    {
        using var scope = NewDisposeScope();
        var a = attention.call(x, tokenMask);
        return output.call(intermediate.call(a), a).MoveToOuterDisposeScope();
    }
}
