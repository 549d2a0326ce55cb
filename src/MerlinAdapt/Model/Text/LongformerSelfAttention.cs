using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Text;

/// <summary>
/// Longformer's local (sliding-window) self-attention, as Merlin uses it — no global attention
/// (merlin-model.md §2.5; model-parity README, rules 5–9): query i attends to keys j with |i − j| ≤ window/2 of the
/// window-padded sequence; padded keys get float32-min added; softmax in float32; rows of padded queries are zeroed.
/// Computed densely with an additive band mask, which gives the same result as HF's chunked kernel.
/// `query_global`, `key_global` and `value_global` exist only so the official weights load; they are never used.
/// </summary>
public sealed class LongformerSelfAttention : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal nn.Module<Tensor, Tensor> query;
    internal nn.Module<Tensor, Tensor> key;
    internal nn.Module<Tensor, Tensor> value;
    internal readonly Linear query_global;
    internal readonly Linear key_global;
    internal readonly Linear value_global;
    internal readonly Dropout dropout;
#pragma warning restore IDE1006
    private static readonly Scalar Float32Min = float.MinValue.ToScalar(); // kept alive: see KeptScalars

    private readonly Scalar _queryScale;
    private readonly int _heads;
    private readonly int _headSize;
    private readonly Scalar _oneSidedWindow; // a field, not an implicit Scalar: those may be finalised mid native call

    public LongformerSelfAttention(TextEncoderConfig config) : base(nameof(LongformerSelfAttention))
    {
        var h = config.HiddenSize;
        query = nn.Linear(h, h);
        key = nn.Linear(h, h);
        value = nn.Linear(h, h);
        query_global = nn.Linear(h, h);
        key_global = nn.Linear(h, h);
        value_global = nn.Linear(h, h);
        dropout = nn.Dropout(config.AttentionDropout);
        (_heads, _headSize) = (config.Heads, config.HeadSize);
        _oneSidedWindow = (config.AttentionWindow / 2).ToScalar();
        _queryScale = Math.Sqrt(_headSize).ToScalar();
        RegisterComponents();
    }

    /// <param name="x">(B, Lp, hidden), Lp a multiple of the window.</param>
    /// <param name="tokenMask">(B, Lp) bool: true for real tokens.</param>
    public override Tensor forward(Tensor x, Tensor tokenMask)
    {
        using var scope = NewDisposeScope();
        long batch = x.shape[0], length = x.shape[1];
        Tensor Heads(Tensor t) => t.view(batch, length, _heads, _headSize).transpose(1, 2);
        var q = Heads(query.call(x).div_(_queryScale));
        var k = Heads(key.call(x));
        var v = Heads(value.call(x));
        var scores = matmul(q, k.transpose(-1, -2));

        var positions = KeptScalars.Arange(0, length, int64, x.device);
        var outsideBand = (positions.unsqueeze(1) - positions.unsqueeze(0)).abs().gt(_oneSidedWindow);
        scores = scores.masked_fill(outsideBand, KeptScalars.NegativeInfinity);
        var padKeys = tokenMask.logical_not().view(batch, 1, 1, length);
        scores = scores.add(zeros(batch, 1, 1, length, device: x.device).masked_fill(padKeys, Float32Min), KeptScalars.One);
        var probs = nn.functional.softmax(scores, -1);
        probs = probs.masked_fill(tokenMask.logical_not().view(batch, 1, length, 1), KeptScalars.Zero);
        probs = dropout.call(probs);
        var context = matmul(probs, v).transpose(1, 2).reshape(batch, length, _heads * _headSize);
        return context.MoveToOuterDisposeScope();
    }
}
