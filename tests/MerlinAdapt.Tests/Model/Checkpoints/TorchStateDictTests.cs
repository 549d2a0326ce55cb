using MerlinAdapt.Model.Checkpoints;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>The result type: ordered, looked up by name, and the owner of its tensors.</summary>
public sealed class TorchStateDictTests
{
    [Fact]
    public void LooksUpByName_AndDisposingDisposesItsTensors()
    {
        var sd = TorchCheckpointReader.Read(Fixtures.Path("unsafe-checkpoints/e_valid_state_dict.pt"));
        Assert.True(sd.ContainsKey("emb.weight"));
        Assert.False(sd.TryGetValue("nope", out _));
        Assert.Throws<KeyNotFoundException>(() => sd["nope"]);
        var tensor = sd["linear.bias"];
        sd.Dispose();
        Assert.True(tensor.IsInvalid);
        Assert.Throws<ObjectDisposedException>(() => sd.TryGetValue("linear.bias", out _));
    }

    [Fact]
    public void Enumerates_InFileOrder_ByIndexAndByName()
    {
        using var sd = TorchCheckpointReader.Read(Fixtures.Path("unsafe-checkpoints/e_valid_state_dict.pt"));
        Assert.Equal(4, sd.Count);
        Assert.Equal(["linear.weight", "linear.bias", "bn.num_batches_tracked", "emb.weight"], sd.Select(e => e.Key));
        Assert.Same(sd[1].Value, sd["linear.bias"]);
        Assert.Equal(Fixtures.Path("unsafe-checkpoints/e_valid_state_dict.pt"), sd.SourcePath);
    }
}
