using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model.Image;

/// <summary>Checkpointing changes memory, never numbers: outputs and gradients equal those of a plain forward.</summary>
[Collection("sequential-torch")]
public sealed class ActivationCheckpointTests
{
    private static readonly ImageEncoderConfig Small = new() { Blocks = [2, 1, 1, 1], Planes = [4, 8, 8, 8], StemChannels = 4, Phenotypes = 5, EmbeddingSize = 6 };

    public static TheoryData<string> Policies => ["blocks", "stages", "mixed", "nested"];

    private static CheckpointPolicy Policy(string name) => name switch
    {
        "blocks" => CheckpointPolicy.EveryBlock,
        "stages" => new CheckpointPolicy { Stages = [true, true, true, true] },
        "nested" => CheckpointPolicy.Nested,
        _ => new CheckpointPolicy { Stages = [false, true, false, true], Blocks = [true, false, true, false] },
    };

    [Theory]
    [MemberData(nameof(Policies))]
    public void Checkpointed_OutputsAndGradients_EqualPlain(string policy)
    {
        var (plainOut, plainGrads) = Run(CheckpointPolicy.None, freezeAllButBlocks: false);
        var (ckptOut, ckptGrads) = Run(Policy(policy), freezeAllButBlocks: false);

        Assert.True(TensorAssert.Same(plainOut, ckptOut));
        Assert.Equal(plainGrads.Keys, ckptGrads.Keys);
        foreach (var (name, grad) in plainGrads) Assert.True(TensorAssert.Same(grad, ckptGrads[name]), name);
    }

    /// <summary>
    /// The paper's code lost the gradients of adapters inside checkpointed blocks whose input needs no grad
    /// (a frozen stem). Here only the blocks' second convolutions train; they must still get their gradients.
    /// </summary>
    [Theory]
    [MemberData(nameof(Policies))]
    public void Checkpointed_FrozenInput_TrainableInside_StillGetsGradients(string policy)
    {
        var (_, plainGrads) = Run(CheckpointPolicy.None, freezeAllButBlocks: true);
        var (_, ckptGrads) = Run(Policy(policy), freezeAllButBlocks: true);

        Assert.Equal(5, plainGrads.Count);
        Assert.Equal(plainGrads.Keys, ckptGrads.Keys);
        foreach (var (name, grad) in plainGrads)
        {
            Assert.True(grad.abs().sum().ToSingle() > 0, $"{name} got no gradient");
            Assert.True(TensorAssert.Same(grad, ckptGrads[name]), name);
        }
    }

    [Fact]
    public void Checkpointed_TrainingMode_UpdatesBatchNormStatisticsOnce()
    {
        using var scope = NewDisposeScope();
        manual_seed(3);
        var plain = new I3ResNet(Small);
        var checkpointed = new I3ResNet(Small) { Checkpointing = CheckpointPolicy.Nested };
        checkpointed.load_state_dict(plain.state_dict());
        var x = rand([2, 1, 16, 16, 8]);

        foreach (var net in new[] { plain, checkpointed })
        {
            net.train();
            using var f = net.call(x);
            f.Contrastive.sum().backward();
        }

        var a = plain.state_dict();
        var b = checkpointed.state_dict();
        foreach (var key in a.Keys.Where(k => k.Contains("running") || k.Contains("num_batches")))
            Assert.True(TensorAssert.Same(a[key], b[key]), key);
    }

    // One seeded set of weights and one input for every run. The class runs in the sequential collection, so no
    // parallel test draws from the global generator in between: the weights are the same on every run of the suite
    // (with unlucky weights a small block's ReLUs can all be off, and its conv gets no gradient by construction).
    private static readonly Lazy<(Dictionary<string, Tensor> Weights, Tensor Input)> Reference = new(() =>
    {
        manual_seed(7);
        var net = new I3ResNet(Small);
        return (net.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone().DetachFromDisposeScope()),
                rand([2, 1, 16, 16, 8]).DetachFromDisposeScope());
    });

    private static (Tensor Output, Dictionary<string, Tensor> Grads) Run(CheckpointPolicy policy, bool freezeAllButBlocks)
    {
        var net = new I3ResNet(Small) { Checkpointing = policy };
        net.load_state_dict(Reference.Value.Weights);
        net.eval();
        if (freezeAllButBlocks)
            foreach (var (name, p) in net.named_parameters())
                p.requires_grad = name.EndsWith("conv2.weight") && name.StartsWith("layer");
        var f = net.call(Reference.Value.Input);
        (f.Contrastive * arange(6).to(float32)).sum().backward();
        var grads = net.named_parameters().Where(p => p.parameter.grad is not null)
            .ToDictionary(p => p.name, p => p.parameter.grad!.clone());
        return (f.Contrastive.detach(), grads);
    }
}
