using TorchSharp;

namespace MerlinAdapt.Tests;

/// <summary>
/// TorchSharp's native library loads and computes: on Debian 12 this needs tools/fix-libtorchsharp.sh, which the
/// build runs (Directory.Build.targets). Without the fix the first tensor op throws TypeInitializationException.
/// </summary>
public sealed class TorchSharpRuntimeTests
{
    [Fact]
    public void TensorOps_Run_OnThisMachine()
    {
        using var a = torch.ones(3, 4);
        using var b = torch.arange(4, dtype: torch.float32);
        using var product = torch.matmul(a, b);
        Assert.Equal([6f, 6f, 6f], product.data<float>().ToArray());
    }
}
