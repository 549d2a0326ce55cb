using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// ConvLoRA, in the layout the paper's code used (HF peft's): A = Conv3d in → r with the base conv's kernel,
/// stride, padding and dilation, no bias; B = 1×1×1 Conv3d r → out, no bias; y = base(x) + (α/r)·B(A(x)).
/// A Kaiming-uniform (a = √5), B zero. ΔW[o, i, k] = (α/r)·Σ_r B[o, r]·A[r, i, k], so it merges into the base
/// kernel exactly. The base `weight` keeps its name. Image-encoder defaults: r = 2, α = 2.
/// </summary>
public sealed class LoraConv3d : nn.Module<Tensor, Tensor>, ILoraLayer
{
#pragma warning disable IDE1006 // names follow torch / peft
    internal readonly Parameter weight;
    internal readonly Parameter? bias;
    internal readonly Conv3d lora_A;
    internal readonly Conv3d lora_B;
    internal readonly Dropout dropout;
#pragma warning restore IDE1006
    private readonly long[] _stride, _padding, _dilation;

    public LoraConv3d(Conv3d baseLayer, int rank, double alpha, double dropoutProbability = 0) : base(nameof(LoraConv3d))
    {
        if (rank < 1) throw new ArgumentOutOfRangeException(nameof(rank), "LoRA rank must be at least 1");
        if (baseLayer.groups != 1) throw new NotSupportedException("ConvLoRA on grouped convolutions is not supported");
        weight = baseLayer.weight!;
        bias = baseLayer.bias;
        Rank = rank;
        Scale = alpha / rank;
        _scale = Scale.ToScalar();
        _stride = Triple(baseLayer.stride);
        _padding = Triple(baseLayer.padding ?? [0, 0, 0]);
        _dilation = Triple(baseLayer.dilation);
        var k = baseLayer.kernel_size;
        lora_A = nn.Conv3d(baseLayer.in_channels, rank, (k[0], k[1], k[2]), stride: (_stride[0], _stride[1], _stride[2]),
            padding: (_padding[0], _padding[1], _padding[2]), dilation: (_dilation[0], _dilation[1], _dilation[2]), bias: false, device: weight.device);
        lora_B = nn.Conv3d(rank, baseLayer.out_channels, (1, 1, 1), bias: false, device: weight.device);
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
        var result = nn.functional.conv3d(x, weight, bias, strides: _stride, padding: _padding, dilation: _dilation);
        if (!IsMerged) result = result.add(lora_B.call(lora_A.call(dropout.call(x))), alpha: _scale);
        return result.MoveToOuterDisposeScope();
    }

    public Tensor DeltaWeight()
    {
        using var scope = NewDisposeScope();
        var a = lora_A.weight!;
        var b = lora_B.weight!.flatten(1); // [out, r]
        return matmul(b, a.flatten(1)).view(weight.shape).mul(_scale).MoveToOuterDisposeScope();
    }

    public void Merge() => IsMerged = LoraWeights.Shift(weight, DeltaWeight, IsMerged, merge: true);

    public void Unmerge() => IsMerged = LoraWeights.Shift(weight, DeltaWeight, IsMerged, merge: false);

    public nn.Module<Tensor, Tensor> ToPlain()
    {
        var plain = nn.Conv3d(weight.shape[1], weight.shape[0], (weight.shape[2], weight.shape[3], weight.shape[4]),
            stride: (_stride[0], _stride[1], _stride[2]), padding: (_padding[0], _padding[1], _padding[2]),
            dilation: (_dilation[0], _dilation[1], _dilation[2]), bias: bias is not null, device: weight.device);
        using (no_grad())
        {
            plain.weight!.copy_(IsMerged ? weight : weight.add(DeltaWeight(), KeptScalars.One));
            if (bias is not null) plain.bias!.copy_(bias);
        }
        return plain;
    }

    public IEnumerable<(string Name, Parameter Parameter)> AdapterParameters() =>
        [("lora_A.weight", lora_A.weight!), ("lora_B.weight", lora_B.weight!)];

    /// <summary>The conv's stride, padding and dilation as three values.</summary>
    public (long[] Stride, long[] Padding, long[] Dilation) Geometry => (_stride, _padding, _dilation);

    private static long[] Triple(long[] v) => v.Length == 3 ? v : [v[0], v[0], v[0]];
}
