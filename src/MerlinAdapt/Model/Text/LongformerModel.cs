using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Text;

/// <summary>HF's `encoder`: the list `layer` of Longformer layers.</summary>
public sealed class LongformerEncoder : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly ModuleList<LongformerLayer> layer;
#pragma warning restore IDE1006

    public LongformerEncoder(TextEncoderConfig config) : base(nameof(LongformerEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.Layers).Select(_ => new LongformerLayer(config)).ToArray());
        RegisterComponents();
    }

    public IReadOnlyList<LongformerLayer> Layers => layer.ToList();

    /// <summary>The output of every layer, the embeddings' first (as HF's hidden_states).</summary>
    public List<Tensor> AllStates(Tensor x, Tensor tokenMask)
    {
        var states = new List<Tensor> { x };
        foreach (var l in layer) states.Add(x = l.call(x, tokenMask));
        return states;
    }

    public override Tensor forward(Tensor x, Tensor tokenMask)
    {
        using var scope = NewDisposeScope();
        foreach (var l in layer) x = l.call(x, tokenMask);
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>HF's pooler (tanh(dense(h[:, 0]))): loaded with the weights, never used by Merlin.</summary>
public sealed class LongformerPooler : nn.Module<Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly Linear dense;
#pragma warning restore IDE1006

    public LongformerPooler(TextEncoderConfig config) : base(nameof(LongformerPooler))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        RegisterComponents();
    }

    public override Tensor forward(Tensor hidden) => tanh(dense.call(hidden.select(1, 0)));
}

/// <summary>
/// HF's LongformerModel as Merlin runs it: the batch is padded with pad ids to a multiple of the attention window,
/// embedded, encoded, and cut back to its own length (merlin-model.md §2.4).
/// </summary>
public sealed class LongformerModel : nn.Module<Tensor, Tensor, Tensor>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly LongformerEmbeddings embeddings;
    internal readonly LongformerEncoder encoder;
    internal readonly LongformerPooler pooler;
#pragma warning restore IDE1006

    public LongformerModel(TextEncoderConfig config) : base(nameof(LongformerModel))
    {
        config.Validate();
        Config = config;
        embeddings = new LongformerEmbeddings(config);
        encoder = new LongformerEncoder(config);
        pooler = new LongformerPooler(config);
        RegisterComponents();
    }

    public TextEncoderConfig Config { get; }

    /// <summary>(ids, mask) padded with pad ids / mask 0 to a multiple of the window.</summary>
    public (Tensor Ids, Tensor Mask) PadToWindow(Tensor ids, Tensor mask)
    {
        var length = ids.shape[1];
        var window = Config.AttentionWindow;
        var padding = (window - length % window) % window;
        if (padding == 0) return (ids.alias(), mask.alias());
        return (nn.functional.pad(ids, [0, padding], value: Config.PadId), nn.functional.pad(mask, [0, padding], value: 0));
    }

    /// <summary>Last hidden state (B, L, hidden) for ids (B, L) and mask (B, L), 1 = token.</summary>
    public override Tensor forward(Tensor ids, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var length = ids.shape[1];
        var (paddedIds, paddedMask) = PadToWindow(ids, mask);
        var hidden = encoder.call(embeddings.call(paddedIds), paddedMask.gt(KeptScalars.Zero));
        return hidden.narrow(1, 0, length).MoveToOuterDisposeScope();
    }

    /// <summary>Embedding output and each layer's output, cut back to L (for parity checks).</summary>
    public List<Tensor> HiddenStates(Tensor ids, Tensor mask)
    {
        var length = ids.shape[1];
        var (paddedIds, paddedMask) = PadToWindow(ids, mask);
        return encoder.AllStates(embeddings.call(paddedIds), paddedMask.gt(KeptScalars.Zero)).Select(s => s.narrow(1, 0, length)).ToList();
    }
}
