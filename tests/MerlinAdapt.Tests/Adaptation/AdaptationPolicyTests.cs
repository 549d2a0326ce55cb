using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Training;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Adaptation;

[Collection("sequential-torch")] // seeded weights: a parallel test would draw from the same global generator
public sealed class AdaptationPolicyTests
{
    /// <summary>The paper's code's counts (issue #4), each without the temperature.</summary>
    [Theory]
    [InlineData("peft", 3_244_544L, 884_736L, 916_992L, 1_442_816L)]
    [InlineData("text-lora", 1_278_464L, 884_736L, 0L, 393_728L)]
    [InlineData("image-convlora", 1_966_080L, 0L, 916_992L, 1_049_088L)]
    [InlineData("projections", 1_442_816L, 0L, 0L, 1_442_816L)]
    [InlineData("frozen", 0L, 0L, 0L, 0L)]
    [InlineData("full", 245_616_576L, 0L, 0L, 0L)] // all but the phenotype head (3,466,908), pooler and global q/k/v, which the loss never reaches
    public void MerlinPreset_TrainableCounts_AreExactlyThePapersCodes(string mode, long trainable, long textLora, long convLora, long projections)
    {
        using var model = new MerlinModel(ModelPresets.Merlin);
        var adaptation = AdaptationModes.Parse(mode);

        AdaptationPolicy.Apply(model, adaptation);
        var b = ParameterBreakdown.Of(model, adaptation);

        Assert.Equal((trainable, textLora, convLora, projections, 1L), (b.Trainable, b.TextLora, b.ConvLora, b.Projections, b.Temperature));
        if (convLora > 0) Assert.Equal([14_848L, 78_848, 702_464, 120_832], b.ConvLoraPerStage);
        Assert.Equal(121_882_204L, b.ImageEncoder);
        Assert.Equal(149_053_184L, b.TextEncoder);
        // The base keys are untouched: the official checkpoint still loads by name.
        var keys = model.state_dict().Keys.Where(k => !k.Contains(".lora_")).ToHashSet();
        Assert.Equal(1208, keys.Count);
    }

    public static TheoryData<string, bool> ModesAndCheckpointing()
    {
        var data = new TheoryData<string, bool>();
        foreach (var mode in AdaptationModes.Names)
            foreach (var checkpointing in new[] { false, true })
                data.Add(mode, checkpointing);
        return data;
    }

    /// <summary>
    /// After one optimisation step (LoRA's B starts at zero, so A gets its first gradient only then), every trainable
    /// tensor has a non-zero gradient and every frozen one none — with activation checkpointing as well, where the
    /// paper's code lost its ConvLoRA gradients. BatchNorm statistics move only in full fine-tuning.
    /// </summary>
    [Theory]
    [MemberData(nameof(ModesAndCheckpointing))]
    public void OneStep_GradientsReachExactlyTheTrainableTensors(string modeName, bool checkpointing)
    {
        using var scope = NewDisposeScope();
        var mode = AdaptationModes.Parse(modeName);
        manual_seed(11);
        var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, mode);
        model.Image.Network.Checkpointing = checkpointing ? CheckpointPolicy.Nested : CheckpointPolicy.None;
        AdaptationPolicy.Train(model, mode);
        var statsBefore = model.named_buffers().Where(b => b.name.Contains("running_mean")).ToDictionary(b => b.name, b => b.buffer.clone());
        var trainable = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var frozen = model.named_parameters().Where(p => !p.parameter.requires_grad).ToList();
        var optimizer = optim.AdamW(trainable.Select(p => p.parameter), lr: 1e-2);
        var volumes = rand([3, 1, 32, 32, 16]);
        var ids = randint(3, 1000, [3, 12], dtype: int64);
        ids[.., 0] = tensor(0L);
        var mask = ones([3, 12], dtype: int64);

        void Step()
        {
            optimizer.zero_grad();
            using var image = model.EncodeImage(volumes);
            using var text = model.EncodeText(ids, mask);
            ContrastiveLoss.SymmetricInfoNce(model, image.Contrastive, text.Projection).backward();
        }

        Step();
        optimizer.step();
        Step();

        Assert.Equal(mode == AdaptationMode.Frozen ? 1 : trainable.Count, trainable.Count);
        foreach (var (name, p) in trainable)
            Assert.True(p.grad is not null && p.grad.abs().sum().ToSingle() > 0, $"{modeName}: trainable {name} got no gradient");
        foreach (var (name, p) in frozen)
            Assert.True(p.grad is null || p.grad.abs().sum().ToSingle() == 0, $"{modeName}: frozen {name} got a gradient");
        var moved = model.named_buffers().Where(b => b.name.Contains("running_mean")).Any(b => !TensorAssert.Same(statsBefore[b.name], b.buffer));
        Assert.Equal(mode == AdaptationMode.Full, moved);
    }

    [Fact]
    public void Apply_ModeNeedingAMissingTower_IsAnInputError()
    {
        using var model = new MerlinModel(ModelPresets.Tiny with { Text = null });
        var e = Assert.Throws<InputException>(() => AdaptationPolicy.Apply(model, AdaptationMode.TextLora));
        Assert.Contains("needs a text tower", e.Message);
    }

    [Fact]
    public void Apply_Peft_WrapsExactlyTheTargets()
    {
        using var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, AdaptationMode.Peft);
        var paths = AdaptationPolicy.LoraLayers(model).Select(l => l.Path).ToList();

        // tiny: 4 blocks × (conv1, conv2, conv3, downsample.0) + 2 layers × (query, key, value)
        Assert.Equal(16 + 6, paths.Count);
        Assert.DoesNotContain(paths, p => p.EndsWith("i3_resnet.conv1") || p.Contains("_global") || p.Contains("contrastive_head"));
        Assert.Contains("encode_image.i3_resnet.layer1.0.downsample.0", paths);
        Assert.Contains("encode_text.text_encoder.encoder.layer.1.attention.self.value", paths);
    }
}
