using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model.Image;

public sealed class FusedI3ResNetTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Forward_EqualsTheModule_WithinFp32Rounding(bool channelsLast)
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var net = new I3ResNet(ModelPresets.Tiny.Image!);
        using (no_grad())
            foreach (var bn in net.modules().OfType<MerlinAdapt.Model.Image.BatchNorm3d>())
            {
                // Non-trivial statistics, so that a wrong fold shows.
                bn.running_mean!.copy_(randn(bn.running_mean.shape) * 0.1);
                bn.running_var!.copy_(rand(bn.running_var.shape) + 0.5);
                bn.weight!.copy_(rand(bn.weight.shape) + 0.5);
                bn.bias!.copy_(randn(bn.bias.shape) * 0.1);
            }
        net.eval();
        var x = rand([2, 1, 40, 36, 24]);
        using var noGrad = no_grad();

        using var expected = net.call(x);
        using var fused = new FusedI3ResNet(net, channelsLast);
        using var actual = fused.Forward(x);

        Assert.True(TensorAssert.RelativeToMax(expected.Contrastive, actual.Contrastive) < 1e-5);
        Assert.True(TensorAssert.RelativeToMax(expected.Phenotypes, actual.Phenotypes) < 1e-5);
        Assert.True(TensorAssert.RelativeToMax(expected.Pooled, actual.Pooled) < 1e-5);
        Assert.True(TensorAssert.RelativeToMax(expected.Layer4, actual.Layer4) < 1e-5);
    }

    [Fact]
    public void UnfoldedStem_EqualsFoldedStem()
    {
        using var scope = NewDisposeScope();
        manual_seed(12);
        var net = new I3ResNet(ModelPresets.Tiny.Image!);
        net.eval();
        var x = rand([1, 1, 32, 32, 16]);
        using var noGrad = no_grad();

        using var folded = net.call(x);
        net.FoldedStem = false;
        using var repeated = net.call(x);

        Assert.True(TensorAssert.RelativeToMax(repeated.Contrastive, folded.Contrastive) < 1e-5);
    }
}
