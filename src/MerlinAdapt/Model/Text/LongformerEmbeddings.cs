using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Text;

/// <summary>
/// RoBERTa-style embeddings (HF LongformerEmbeddings, merlin-model.md §2.3): word + position + token type (always 0),
/// LayerNorm, dropout. Position ids come from the ids, not the mask: non-pad tokens count up from pad_id + 1, pads
/// get pad_id.
/// </summary>
public sealed class LongformerEmbeddings : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly Embedding word_embeddings;
    internal readonly Embedding position_embeddings;
    internal readonly Embedding token_type_embeddings;
    internal readonly LayerNorm LayerNorm;
    internal readonly Dropout dropout;
#pragma warning restore IDE1006
    private readonly long _padId;

    public LongformerEmbeddings(TextEncoderConfig config) : base(nameof(LongformerEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.HiddenSize, padding_idx: config.PadId);
        position_embeddings = nn.Embedding(config.MaxPositions, config.HiddenSize, padding_idx: config.PadId);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.HiddenSize);
        LayerNorm = nn.LayerNorm(config.HiddenSize, eps: config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropout);
        _padId = config.PadId;
        RegisterComponents();
    }

    /// <summary>pad_id + cumulative count of non-pad tokens, for non-pad tokens; pad_id for pads.</summary>
    public static Tensor PositionIds(Tensor ids, long padId)
    {
        using var scope = NewDisposeScope();
        using var pad = padId.ToScalar(); // see KeptScalars
        var notPad = ids.ne(pad).to(int64);
        return notPad.cumsum(1).mul(notPad).add(pad, KeptScalars.One).MoveToOuterDisposeScope();
    }

    public override Tensor forward(Tensor ids)
    {
        using var scope = NewDisposeScope();
        var positions = PositionIds(ids, _padId);
        var types = zeros_like(ids);
        var e = word_embeddings.call(ids).add(position_embeddings.call(positions), KeptScalars.One).add(token_type_embeddings.call(types), KeptScalars.One);
        return dropout.call(LayerNorm.call(e)).MoveToOuterDisposeScope();
    }
}
