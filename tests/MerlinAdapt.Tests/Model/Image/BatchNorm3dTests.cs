using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model.Image;

/// <summary>The GC-safe BatchNorm3d is TorchSharp's nn.BatchNorm3d in every observable: outputs, running statistics, batch count, state dict.</summary>
public sealed class BatchNorm3dTests
{
    [Fact]
    public void TrainAndEval_EqualTorchSharpsBatchNorm3d()
    {
        using var ours = new MerlinAdapt.Model.Image.BatchNorm3d(3);
        using var theirs = nn.BatchNorm3d(3);
        using (no_grad())
        {
            ours.weight!.copy_(tensor(new[] { 0.5f, 1.5f, -2f }));
            theirs.weight!.copy_(tensor(new[] { 0.5f, 1.5f, -2f }));
            ours.bias!.copy_(tensor(new[] { 0.1f, 0f, 3f }));
            theirs.bias!.copy_(tensor(new[] { 0.1f, 0f, 3f }));
        }
        var generator = new Generator(4);
        for (var step = 0; step < 3; step++)
        {
            using var x = randn([2, 3, 4, 5, 6], generator: generator).mul_(KeptScalars.Two);
            using var a = ours.call(x);
            using var b = theirs.call(x);
            Assert.True(TensorAssert.Same(b, a));
        }
        Assert.Equal(theirs.state_dict().Keys.Order(), ours.state_dict().Keys.Order());
        foreach (var (name, value) in theirs.state_dict()) Assert.True(TensorAssert.Same(value, ours.state_dict()[name]), name);
        Assert.Equal(3L, ours.num_batches_tracked!.ToInt64());

        ours.eval();
        theirs.eval();
        using var probe = randn([1, 3, 4, 5, 6], generator: generator);
        using var evalOurs = ours.call(probe);
        using var evalTheirs = theirs.call(probe);
        Assert.True(TensorAssert.Same(evalTheirs, evalOurs));
        Assert.Equal(3L, ours.num_batches_tracked!.ToInt64());
    }

    [Fact]
    public void FourDimensionalInput_IsRefused()
    {
        using var norm = new MerlinAdapt.Model.Image.BatchNorm3d(3);
        using var x = zeros(2, 3, 4, 5);

        Assert.Contains("5-D", Assert.Throws<ArgumentException>(() => norm.call(x)).Message);
    }
}
