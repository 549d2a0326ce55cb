using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// LoRA on a Linear layer: y = W·x + b + (α/r)·B(A(dropout(x))), A initialised Kaiming-uniform (a = √5, torch's
/// Linear default), B zero, so the adapted layer starts equal to the base. The base `weight`/`bias` keep their
/// names (the checkpoint's keys do not change); the adapter adds `lora_A.weight` [r, in] and `lora_B.weight` [out, r].
/// Text-encoder defaults: r = 16, α = 32, dropout 0.2 (hcc-merlin-reference.md §1).
/// </summary>
public sealed class LoraLinear : nn.Module<Tensor, Tensor>, ILoraLayer
{
#pragma warning disable IDE1006 // names follow torch / peft
    internal readonly Parameter weight;
    internal readonly Parameter? bias;
    internal readonly Linear lora_A;
    internal readonly Linear lora_B;
    internal readonly Dropout dropout;
#pragma warning restore IDE1006

    public LoraLinear(Linear baseLayer, int rank, double alpha, double dropoutProbability = 0) : base(nameof(LoraLinear))
    {
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), "LoRA rank must be at least 1");
        weight = baseLayer.weight!;
        bias = baseLayer.bias;
        Rank = rank;
        Scale = alpha / rank;
        _scale = Scale.ToScalar();
        lora_A = nn.Linear(baseLayer.in_features, rank, hasBias: false, device: weight.device);
        lora_B = nn.Linear(rank, baseLayer.out_features, hasBias: false, device: weight.device);
        using (no_grad()) nn.init.zeros_(lora_B.weight!);
        dropout = nn.Dropout(dropoutProbability);
        RegisterComponents();
    }

    public int Rank { get; }
    public double Scale { get; }

    // One Scalar for the layer's lifetime: a temporary one can be finalised while a native call still reads it.
    private readonly Scalar _scale;
    public bool IsMerged { get; private set; }
    public Tensor BaseWeight => weight;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var result = nn.functional.linear(x, weight, bias);
        if (!IsMerged) result = result.add(lora_B.call(lora_A.call(dropout.call(x))), alpha: _scale);
        return result.MoveToOuterDisposeScope();
    }

    public Tensor DeltaWeight() => matmul(lora_B.weight!, lora_A.weight!).mul(_scale);

    public void Merge() => IsMerged = LoraWeights.Shift(weight, DeltaWeight, IsMerged, merge: true);

    public void Unmerge() => IsMerged = LoraWeights.Shift(weight, DeltaWeight, IsMerged, merge: false);

    public nn.Module<Tensor, Tensor> ToPlain()
    {
        var plain = nn.Linear(weight.shape[1], weight.shape[0], hasBias: bias is not null, device: weight.device);
        using (no_grad())
        {
            plain.weight!.copy_(IsMerged ? weight : weight.add(DeltaWeight(), KeptScalars.One));
            if (bias is not null) plain.bias!.copy_(bias);
        }
        return plain;
    }

    public IEnumerable<(string Name, Parameter Parameter)> AdapterParameters() =>
        [("lora_A.weight", lora_A.weight!), ("lora_B.weight", lora_B.weight!)];
}
