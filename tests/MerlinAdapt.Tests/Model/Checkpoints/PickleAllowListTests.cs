using MerlinAdapt.Model.Checkpoints;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// The allow-list is exactly what torch.save writes for a state dict (1.13 and 2.x), nothing more: widening it is a
/// security decision that must show up in this test.
/// </summary>
public sealed class PickleAllowListTests
{
    [Fact]
    public void Globals_AreExactlyTheStateDictOnes()
    {
        string[] storages = ["Float", "Half", "BFloat16", "Double", "Long", "Int", "Short", "Char", "Byte", "Bool"];
        string[] dtypes = ["float32", "float", "float16", "half", "bfloat16", "float64", "double", "int64", "long",
                           "int32", "int", "int16", "short", "int8", "uint8", "bool"];
        var expected = new[]
            {
                "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor_v3",
                "torch._utils._rebuild_parameter", "torch.UntypedStorage", "torch.storage.UntypedStorage",
            }
            .Concat(storages.Select(s => $"torch.{s}Storage"))
            .Concat(dtypes.Select(d => $"torch.{d}"))
            .Order(StringComparer.Ordinal);
        Assert.Equal(expected, PickleAllowList.Globals);
    }

    [Theory]
    [InlineData("os", "system")]
    [InlineData("posix", "system")]
    [InlineData("__builtin__", "eval")]
    [InlineData("builtins", "getattr")]
    [InlineData("collections", "Counter")]
    [InlineData("torch.storage", "TypedStorage")]
    [InlineData("torch", "load")]
    [InlineData("torch._utils", "_rebuild_device_tensor_from_numpy")]
    [InlineData("torch.nn.parameter", "Parameter")]
    public void NearMisses_AreNotAllowed(string module, string name) => Assert.False(PickleAllowList.IsAllowed(module, name));
}
