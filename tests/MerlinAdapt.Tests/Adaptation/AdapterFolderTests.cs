using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Tests.Cli;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Adaptation;

public sealed class AdapterFolderTests
{
    /// <summary>A tiny base folder and a peft adapter with non-trivial weights trained "on" it.</summary>
    private static (string BaseDir, string AdapterDir) MakeAdapter(TempDirectory temp, AdaptationMode mode)
    {
        var baseDir = temp.File("base");
        using (var model = new MerlinModel(ModelPresets.Tiny)) ModelFolder.Save(model, baseDir);
        using var adapted = ModelFolder.Load(baseDir);
        AdaptationPolicy.Apply(adapted, mode);
        using (no_grad())
            foreach (var p in adapted.parameters().Where(p => p.requires_grad))
                p.add_(randn(p.shape) * 0.05);
        var adapterDir = temp.File("adapter");
        AdapterFolder.Save(adapted, mode, new LoraOptions(), ModelFolder.WeightsHash(baseDir), adapterDir);
        return (baseDir, adapterDir);
    }

    private static (Tensor Image, Tensor Text) Embed(MerlinModel model, Tensor volumes, Tensor ids, Tensor mask)
    {
        using var noGrad = no_grad();
        using var image = model.EncodeImage(volumes);
        using var text = model.EncodeText(ids, mask);
        return (image.Contrastive.clone(), text.Projection.clone());
    }

    [Theory]
    [InlineData("peft")]
    [InlineData("image-convlora")]
    [InlineData("text-lora")]
    [InlineData("full")]
    public void Load_ReproducesTheAdaptedModel_AndMergeGivesAPlainModelWithTheSameOutputs(string modeName)
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var mode = AdaptationModes.Parse(modeName);
        var (baseDir, adapterDir) = MakeAdapter(temp, mode);
        var volumes = rand([2, 1, 32, 32, 16]);
        var ids = randint(3, 1000, [2, 9], dtype: int64);
        var mask = ones([2, 9], dtype: int64);

        var (loaded, loadedMode, _) = AdapterFolder.Load(baseDir, adapterDir);
        var adapted = Embed(loaded, volumes, ids, mask);
        var (code, output, _) = CliRunner.Run("merge", "--model", baseDir, "--adapter", adapterDir, "--out", temp.File("merged"));
        using var merged = ModelFolder.Load(temp.File("merged"));
        var plain = Embed(merged, volumes, ids, mask);
        using var baseModel = ModelFolder.Load(baseDir);
        var original = Embed(baseModel, volumes, ids, mask);

        Assert.Equal(mode, loadedMode);
        Assert.Equal(0, code);
        Assert.Contains($"{modeName} adapter", output);
        Assert.True(TensorAssert.RelativeToMax(adapted.Image, plain.Image) < 1e-4);
        Assert.True(TensorAssert.RelativeToMax(adapted.Text, plain.Text) < 1e-4);
        Assert.False(TensorAssert.Same(original.Image, plain.Image) && TensorAssert.Same(original.Text, plain.Text)); // the adapter changed the model
        Assert.Equal(baseModel.state_dict().Keys.Order(), merged.state_dict().Keys.Order());
        Assert.Empty(AdaptationPolicy.LoraLayers(merged));
        loaded.Dispose();
    }

    [Fact]
    public void Load_OntoAnotherBase_IsRefused()
    {
        using var temp = new TempDirectory();
        var (_, adapterDir) = MakeAdapter(temp, AdaptationMode.Peft);
        using (var other = new MerlinModel(ModelPresets.Tiny)) ModelFolder.Save(other, temp.File("other"));

        var e = Assert.Throws<InputException>(() => AdapterFolder.Load(temp.File("other"), adapterDir));
        Assert.Contains("was trained on another base model", e.Message);
    }

    /// <summary>AdaBN: statistics recomputed on the target hospital travel with the adapter, and only when asked for.</summary>
    [Fact]
    public void Adapter_WithBatchNormStatistics_CarriesAndRestoresThem()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var baseDir = temp.File("base");
        using (var model = new MerlinModel(ModelPresets.Tiny)) ModelFolder.Save(model, baseDir);
        using var adapted = ModelFolder.Load(baseDir);
        AdaptationPolicy.Apply(adapted, AdaptationMode.Peft);
        var norms = adapted.Image.modules().OfType<MerlinAdapt.Model.Image.BatchNorm3d>().ToList();
        using (no_grad())
            foreach (var bn in norms)
            {
                bn.running_mean!.add_(randn(bn.running_mean.shape) * 0.3);
                bn.running_var!.mul_(rand(bn.running_var.shape) + 0.5);
            }
        var hash = ModelFolder.WeightsHash(baseDir);
        AdapterFolder.Save(adapted, AdaptationMode.Peft, new LoraOptions(), hash, temp.File("with"), batchNormStatistics: true);
        AdapterFolder.Save(adapted, AdaptationMode.Peft, new LoraOptions(), hash, temp.File("without"));
        var volumes = rand([2, 1, 32, 32, 16]);
        adapted.eval();
        var expected = Embed(adapted, volumes, ones([2, 3], dtype: int64), ones([2, 3], dtype: int64)).Image;

        var (with, _, withConfig) = AdapterFolder.Load(baseDir, temp.File("with"));
        var (without, _, withoutConfig) = AdapterFolder.Load(baseDir, temp.File("without"));
        using var baseModel = ModelFolder.Load(baseDir);

        var trainable = adapted.named_parameters().Count(p => p.parameter.requires_grad);
        using (var file = MerlinAdapt.Model.Checkpoints.SafetensorsFile.Load(Path.Combine(temp.File("with"), AdapterFolder.WeightsFile)))
            Assert.Equal(trainable + 3 * norms.Count, file.Count);
        Assert.True(withConfig.BatchNormStatistics);
        Assert.False(withoutConfig.BatchNormStatistics);
        Assert.True(TensorAssert.Same(norms[0].running_mean!, with.Image.Network.bn1.running_mean!));
        Assert.True(TensorAssert.Same(norms[^1].running_var!, with.Image.modules().OfType<MerlinAdapt.Model.Image.BatchNorm3d>().Last().running_var!));
        Assert.True(TensorAssert.Same(baseModel.Image.Network.bn1.running_mean!, without.Image.Network.bn1.running_mean!));
        Assert.True(TensorAssert.RelativeToMax(expected, Embed(with, volumes, ones([2, 3], dtype: int64), ones([2, 3], dtype: int64)).Image) < 1e-5);
        with.Dispose();
        without.Dispose();
    }

    [Fact]
    public void PeftAdapter_AtFullSize_HoldsOnlyWhatWasTrained()
    {
        using var temp = new TempDirectory();
        using var model = new MerlinModel(ModelPresets.Merlin);
        AdaptationPolicy.Apply(model, AdaptationMode.Peft);

        AdapterFolder.Save(model, AdaptationMode.Peft, new LoraOptions(), new string('0', 64), temp.Path);

        var bytes = new FileInfo(Path.Combine(temp.Path, AdapterFolder.WeightsFile)).Length;
        Assert.InRange(bytes, 3_244_545L * 4, 3_244_545L * 4 + 200_000); // 3,244,544 + logit_scale, float32, plus the header: ≈ 13 MB
    }
}
