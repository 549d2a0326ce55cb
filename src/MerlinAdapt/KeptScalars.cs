using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt;

/// <summary>
/// Scalars that outlive every native call reading them. TorchSharp 0.107 frees a Scalar's native value in its
/// finaliser, and no dispose scope holds Scalars, so a temporary one can be finalised by the GC while the native call
/// that got its handle still reads it: CI saw "Expected false to be true" from <c>c10::Scalar::toFloat</c> inside
/// <c>add</c>. Temporaries hide in implicit conversions (<c>t * 2</c>, <c>pow(2)</c>, <c>fill_(x)</c>) and inside
/// TorchSharp itself (the alpha of <c>Tensor.add(Tensor)</c> and of the tensor <c>+</c> and <c>-</c> operators, the
/// start and step of <c>arange(stop)</c>). So constants live here for the process, a computed value goes into a
/// <c>using var</c> for the call, and <c>ScalarLifetimeTests</c> scans the compiled code for any other use.
/// </summary>
public static class KeptScalars
{
    public static readonly Scalar Zero = 0;
    public static readonly Scalar One = 1;
    public static readonly Scalar Two = 2;
    public static readonly Scalar MinusTwo = -2;
    public static readonly Scalar Half = 0.5;
    public static readonly Scalar NegativeInfinity = double.NegativeInfinity;

    /// <summary><c>arange(start, stop)</c> with step 1, its three Scalars alive through the call.</summary>
    public static Tensor Arange(long start, long stop, ScalarType dtype = ScalarType.Int64, Device? device = null)
    {
        using var first = start.ToScalar();
        using var end = stop.ToScalar();
        return arange(first, end, One, dtype: dtype, device: device);
    }

    /// <summary><c>full(shape, value)</c> with the fill value alive through the call.</summary>
    public static Tensor Full(long[] shape, double value, ScalarType dtype, Device? device = null)
    {
        using var fill = value.ToScalar();
        return full(shape, fill, dtype: dtype, device: device);
    }
}
