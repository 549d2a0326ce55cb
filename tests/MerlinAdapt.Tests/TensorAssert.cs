using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests;

internal static class TensorAssert
{
    /// <summary>Same shape and bit-identical values.</summary>
    public static bool Same(Tensor a, Tensor b) => a.shape.SequenceEqual(b.shape) && a.eq(b).all().ToBoolean();

    /// <summary>|actual − expected| ≤ relative · max|expected| everywhere (the model-parity README's rule); returns the worst ratio.</summary>
    public static double RelativeToMax(Tensor expected, Tensor actual)
    {
        Assert.Equal(expected.shape, actual.shape);
        var scale = expected.abs().max().ToDouble();
        return (actual.to(float64) - expected.to(float64)).abs().max().ToDouble() / scale;
    }
}
