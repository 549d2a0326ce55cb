using MerlinAdapt.Adaptation;
using MerlinAdapt.Model.Checkpoints;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Adaptation;

/// <summary>
/// One matrix over every adapter layer type (as HF peft tests its layers): forward at initialisation, forward
/// against the defining formula, merge, unmerge, conversion to a plain layer, and save/load of the adapter weights.
/// </summary>
public sealed class LoraLayerTests
{
    public static TheoryData<string> Layers =>
        ["linear", "linear-no-bias", "conv-1x1x1", "conv-3x3x3-stride2", "conv-stem-like", "conv-dilated"];

    private static (nn.Module<Tensor, Tensor> Base, ILoraLayer Lora, Tensor Input) Make(string kind)
    {
        switch (kind)
        {
            case "linear":
            case "linear-no-bias":
                var linear = nn.Linear(12, 10, hasBias: kind == "linear");
                return (CopyOf(linear), new LoraLinear(linear, rank: 4, alpha: 8, dropoutProbability: 0.2), randn(3, 5, 12));
            default:
                var conv = kind switch
                {
                    "conv-1x1x1" => nn.Conv3d(6, 8, (1, 1, 1), bias: false),
                    "conv-3x3x3-stride2" => nn.Conv3d(6, 8, (3, 3, 3), stride: (2, 2, 2), padding: (1, 1, 1), bias: false),
                    "conv-stem-like" => nn.Conv3d(6, 8, (3, 7, 7), stride: (1, 2, 2), padding: (1, 3, 3), bias: true),
                    _ => nn.Conv3d(6, 8, (3, 3, 3), padding: (2, 2, 2), dilation: (2, 2, 2), bias: false),
                };
                return (CopyOf(conv), new LoraConv3d(conv, rank: 2, alpha: 2), randn([2, 6, 9, 10, 11]));
        }
    }

    private static nn.Module<Tensor, Tensor> CopyOf(nn.Module<Tensor, Tensor> layer) => layer switch
    {
        Linear l => CopyInto(nn.Linear(l.in_features, l.out_features, hasBias: l.bias is not null), l),
        Conv3d c => CopyInto(nn.Conv3d(c.in_channels, c.out_channels, (c.kernel_size[0], c.kernel_size[1], c.kernel_size[2]),
            stride: (c.stride[0], c.stride[1], c.stride[2]), padding: (c.padding![0], c.padding[1], c.padding[2]),
            dilation: (c.dilation[0], c.dilation[1], c.dilation[2]), bias: c.bias is not null), c),
        _ => throw new ArgumentException(),
    };

    private static nn.Module<Tensor, Tensor> CopyInto(nn.Module<Tensor, Tensor> target, nn.Module<Tensor, Tensor> source)
    {
        target.load_state_dict(source.state_dict());
        return target;
    }

    private static Tensor Forward(ILoraLayer layer, Tensor x) => ((nn.Module<Tensor, Tensor>)layer).call(x);

    private static void RandomiseB(ILoraLayer layer)
    {
        using var noGrad = no_grad();
        foreach (var (name, p) in layer.AdapterParameters())
            if (name.StartsWith("lora_B")) p.copy_(randn(p.shape) * 0.1);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void AtInitialisation_EqualsTheBaseLayer(string kind)
    {
        using var scope = NewDisposeScope();
        var (baseLayer, lora, x) = Make(kind);
        ((nn.Module)lora).eval();
        Assert.True(TensorAssert.Same(baseLayer.call(x), Forward(lora, x)));
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void Forward_IsBasePlusScaledLowRankUpdate(string kind)
    {
        using var scope = NewDisposeScope();
        var (baseLayer, lora, x) = Make(kind);
        ((nn.Module)lora).eval();
        RandomiseB(lora);

        var expected = lora switch
        {
            LoraLinear l => baseLayer.call(x) + l.lora_B.call(l.lora_A.call(x)) * l.Scale,
            LoraConv3d c => baseLayer.call(x) + c.lora_B.call(c.lora_A.call(x)) * c.Scale,
            _ => throw new InvalidOperationException(),
        };
        Assert.True(TensorAssert.RelativeToMax(expected, Forward(lora, x)) < 1e-6);
        // The same update, as one weight: what merging adds.
        var plainUpdated = lora.ToPlain();
        Assert.True(TensorAssert.RelativeToMax(expected, plainUpdated.call(x)) < 1e-5);
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void MergeThenUnmerge_KeepsOutputs_AndRestoresTheWeight(string kind)
    {
        using var scope = NewDisposeScope();
        var (_, lora, x) = Make(kind);
        ((nn.Module)lora).eval();
        RandomiseB(lora);
        var before = lora.BaseWeight.clone();
        var adapted = Forward(lora, x);

        lora.Merge();
        var merged = Forward(lora, x);
        lora.Unmerge();
        var unmerged = Forward(lora, x);

        Assert.True(lora.IsMerged is false);
        Assert.True(TensorAssert.RelativeToMax(adapted, merged) < 1e-5, "merged forward differs");
        Assert.True(TensorAssert.RelativeToMax(adapted, unmerged) < 1e-6, "unmerged forward differs");
        Assert.True(TensorAssert.RelativeToMax(before, lora.BaseWeight) < 1e-6, "unmerge did not restore the weight");
    }

    [Theory]
    [MemberData(nameof(Layers))]
    public void AdapterWeights_SaveAndLoad_RoundTrip(string kind)
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var (_, lora, x) = Make(kind);
        var (_, other, _) = Make(kind);
        ((nn.Module)lora).eval();
        ((nn.Module)other).eval();
        using (no_grad())
        {
            // Same base and A as `lora`, B still zero: only the file can make the outputs equal.
            other.BaseWeight.copy_(lora.BaseWeight);
            foreach (var ((name, p), (_, source)) in other.AdapterParameters().Zip(lora.AdapterParameters()))
                if (name.StartsWith("lora_A")) p.copy_(source);
            if (lora is LoraLinear { bias: { } b } && other is LoraLinear { bias: { } ob }) ob.copy_(b);
            if (lora is LoraConv3d { bias: { } cb } && other is LoraConv3d { bias: { } ocb }) ocb.copy_(cb);
        }
        RandomiseB(lora);
        var path = temp.File("adapter.safetensors");

        SafetensorsFile.Save(path, lora.AdapterParameters().Select(p => new KeyValuePair<string, Tensor>(p.Name, p.Parameter)));
        using (var loaded = SafetensorsFile.Load(path))
        using (no_grad())
            foreach (var (name, p) in other.AdapterParameters()) p.copy_(loaded[name]);

        Assert.True(TensorAssert.Same(Forward(lora, x), Forward(other, x)));
    }

    [Fact]
    public void Dropout_AppliesOnlyToTheAdapterBranch_InTraining()
    {
        using var scope = NewDisposeScope();
        var linear = nn.Linear(12, 10);
        var reference = CopyOf(linear);
        var lora = new LoraLinear(linear, rank: 4, alpha: 8, dropoutProbability: 0.5);
        lora.train();
        var x = randn(4, 12);
        // B = 0: whatever dropout does to the adapter input, the output is the base output.
        Assert.True(TensorAssert.RelativeToMax(reference.call(x), lora.call(x)) < 1e-6);
    }
}
