using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Training;

public sealed class ContrastiveStepTests
{
    /// <summary>
    /// GradCache over 3 micro-batches gives the gradient of one InfoNCE over all 6 pairs (BatchNorm frozen, as in
    /// every mode but full; dropout off so that both sides see the same function).
    /// </summary>
    [Theory]
    [InlineData("peft")]
    [InlineData("projections")]
    public void GradCache_EqualsTheFullBatchGradient(string modeName)
    {
        using var scope = NewDisposeScope();
        var mode = AdaptationModes.Parse(modeName);
        var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, mode);
        using (no_grad())
            foreach (var p in model.parameters().Where(p => p.requires_grad)) p.add_(randn(p.shape) * 0.05); // LoRA B ≠ 0
        model.eval();
        var volumes = rand([6, 1, 24, 24, 12]);
        var ids = randint(3, 1000, [6, 10], dtype: int64);
        var mask = ones([6, 10], dtype: int64);
        var step = new ContrastiveStep(model);
        List<Tensor> Grads() => model.parameters().Where(p => p.requires_grad).Select(p => p.grad!.clone()).ToList();
        void Zero() { foreach (var p in model.parameters()) p.grad?.zero_(); }

        var fullLoss = step.Run([new MicroBatch(volumes, ids, mask)], gradCache: false);
        var full = Grads();
        Zero();
        var chunks = Enumerable.Range(0, 3).Select(k => new MicroBatch(volumes.narrow(0, 2 * k, 2), ids.narrow(0, 2 * k, 2), mask.narrow(0, 2 * k, 2))).ToList();
        var cachedLoss = step.Run(chunks, gradCache: true);
        var cached = Grads();

        Assert.Equal(fullLoss, cachedLoss, 5);
        for (var i = 0; i < full.Count; i++)
            Assert.True(TensorAssert.RelativeToMax(full[i], cached[i]) < 1e-4, $"gradient {i} differs");
        Assert.True(full.Any(g => g.abs().sum().ToSingle() > 0));
    }

    [Fact]
    public void PlainAccumulation_IsTheMeanOfMicroBatchLosses()
    {
        using var scope = NewDisposeScope();
        var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, AdaptationMode.Projections);
        model.eval();
        var volumes = rand([4, 1, 24, 24, 12]);
        var ids = randint(3, 1000, [4, 10], dtype: int64);
        var mask = ones([4, 10], dtype: int64);
        var step = new ContrastiveStep(model);

        var a = step.Run([new MicroBatch(volumes.narrow(0, 0, 2), ids.narrow(0, 0, 2), mask.narrow(0, 0, 2))], false);
        var b = step.Run([new MicroBatch(volumes.narrow(0, 2, 2), ids.narrow(0, 2, 2), mask.narrow(0, 2, 2))], false);
        var both = step.Run([new MicroBatch(volumes.narrow(0, 0, 2), ids.narrow(0, 0, 2), mask.narrow(0, 0, 2)),
            new MicroBatch(volumes.narrow(0, 2, 2), ids.narrow(0, 2, 2), mask.narrow(0, 2, 2))], false);

        Assert.Equal((a + b) / 2, both, 5);
    }
}
