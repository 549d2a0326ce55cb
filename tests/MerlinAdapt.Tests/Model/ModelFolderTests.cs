using MerlinAdapt.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model;

public sealed class ModelFolderTests
{
    [Fact]
    public void SaveThenLoad_RoundTripsEveryTensorExactly()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        manual_seed(5);
        using var model = new MerlinModel(ModelPresets.Tiny with { LogitScaleInit = 2.5 });
        using (no_grad())
            foreach (var (_, buffer) in model.named_buffers().Where(b => b.name.Contains("running_mean")))
                buffer.copy_(randn(buffer.shape));

        ModelFolder.Save(model, temp.Path, Fixtures.Path("tokenizer/tokenizer.json"));
        using var loaded = ModelFolder.Load(temp.Path);

        Assert.Equal(model.Config, loaded.Config with { Image = model.Config.Image, Text = model.Config.Text });
        Assert.Equal(model.Config.Image!.Blocks, loaded.Config.Image!.Blocks);
        var expected = model.state_dict();
        foreach (var (name, tensor) in loaded.state_dict()) Assert.True(TensorAssert.Same(expected[name], tensor), name);
        Assert.Equal(2.5f, loaded.LogitScale.ToSingle());
        Assert.True(File.Exists(Path.Combine(temp.Path, ModelFolder.TokenizerFile)));
        Assert.Equal(64, ModelFolder.WeightsHash(temp.Path).Length);
    }

    [Fact]
    public void Load_NotAModelFolder_SaysWhatToDo()
    {
        using var temp = new TempDirectory();
        var e = Assert.Throws<InputException>(() => ModelFolder.Load(temp.Path));
        Assert.Contains("merlin-adapt import", e.Message);
    }

    [Fact]
    public void Load_WeightsNotMatchingConfig_IsRefused()
    {
        using var temp = new TempDirectory();
        using var model = new MerlinModel(ModelPresets.Tiny);
        ModelFolder.Save(model, temp.Path);
        File.WriteAllText(Path.Combine(temp.Path, ModelFolder.ConfigFile),
            (ModelPresets.Tiny with { Image = ModelPresets.Tiny.Image! with { Blocks = [1, 2, 1, 1] } }).ToJson());

        var e = Assert.Throws<InputException>(() => ModelFolder.Load(temp.Path));
        Assert.Contains("missing from the file", e.Message);
        Assert.Contains("layer2.1.conv1.weight", e.Message);
    }
}
