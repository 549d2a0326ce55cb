using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Cli;

/// <summary>`encode --adapter` gives what the merged model gives, and refuses an adapter trained on another base.</summary>
public sealed class AdapterCommandsTests
{
    [Fact]
    public void EncodeWithAdapter_EqualsEncodeOfTheMergedModel()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        using (var model = new MerlinModel(ModelPresets.Tiny)) ModelFolder.Save(model, temp.File("base"));
        using (var adapted = ModelFolder.Load(temp.File("base")))
        {
            AdaptationPolicy.Apply(adapted, AdaptationMode.Peft);
            using (no_grad())
                foreach (var p in adapted.parameters().Where(p => p.requires_grad)) p.add_(randn(p.shape) * 0.05);
            AdapterFolder.Save(adapted, AdaptationMode.Peft, new LoraOptions(), ModelFolder.WeightsHash(temp.File("base")), temp.File("adapter"));
        }
        NpyFile.Write(temp.File("volumes.npy"), rand([2, 1, 32, 32, 16]));
        Assert.Equal(0, CliRunner.Run("merge", "--model", temp.File("base"), "--adapter", temp.File("adapter"), "--out", temp.File("merged")).Code);

        var withAdapter = CliRunner.Run("encode", "--model", temp.File("base"), "--adapter", temp.File("adapter"), "--tensor", temp.File("volumes.npy"), "--out", temp.File("a.npy"));
        var merged = CliRunner.Run("encode", "--model", temp.File("merged"), "--tensor", temp.File("volumes.npy"), "--out", temp.File("m.npy"));
        var plain = CliRunner.Run("encode", "--model", temp.File("base"), "--tensor", temp.File("volumes.npy"), "--out", temp.File("p.npy"));

        Assert.Equal((0, 0, 0), (withAdapter.Code, merged.Code, plain.Code));
        Assert.True(TensorAssert.RelativeToMax(NpyFile.Read(temp.File("m.npy")), NpyFile.Read(temp.File("a.npy"))) < 1e-5);
        Assert.False(TensorAssert.Same(NpyFile.Read(temp.File("p.npy")), NpyFile.Read(temp.File("a.npy"))));

        using (var other = new MerlinModel(ModelPresets.Tiny)) ModelFolder.Save(other, temp.File("other"));
        var wrongBase = CliRunner.Run("encode", "--model", temp.File("other"), "--adapter", temp.File("adapter"), "--tensor", temp.File("volumes.npy"), "--out", temp.File("x.npy"));
        Assert.Equal(1, wrongBase.Code);
        Assert.Contains("was trained on another base model", wrongBase.Err);
    }
}
