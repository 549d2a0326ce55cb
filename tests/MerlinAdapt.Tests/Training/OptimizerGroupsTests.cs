using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Training;

public sealed class OptimizerGroupsTests
{
    [Fact]
    public void Groups_DecayOnlyWeights_AndLayerDecayLowersEarlierLayers()
    {
        using var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, AdaptationMode.Full);
        var names = model.named_parameters().ToDictionary(p => p.parameter.Handle, p => p.name);

        var groups = OptimizerGroups.Build(model, 1e-3, 0.01, layerDecay: 0.5);

        var noDecay = groups.Where(g => g.WeightDecay == 0).SelectMany(g => g.Parameters).Select(p => names[p.Handle]).ToList();
        Assert.Contains("logit_scale", noDecay);
        Assert.Contains("encode_text.text_encoder.embeddings.LayerNorm.weight", noDecay);
        Assert.Contains("encode_image.i3_resnet.bn1.weight", noDecay);
        Assert.Contains("encode_text.linear_layer.bias", noDecay);
        Assert.DoesNotContain("encode_text.linear_layer.weight", noDecay);
        double Rate(string name) => groups.Single(g => g.Parameters.Any(p => names[p.Handle] == name)).LearningRate;
        Assert.Equal(1e-3, Rate("encode_text.linear_layer.weight"), 12);
        Assert.Equal(1e-3 * 0.5, Rate("encode_text.text_encoder.encoder.layer.1.attention.self.query.weight"), 12); // top layer of 2
        Assert.Equal(1e-3 * 0.125, Rate("encode_text.text_encoder.embeddings.word_embeddings.weight"), 12);
        Assert.Equal(1e-3 * Math.Pow(0.5, 5), Rate("encode_image.i3_resnet.conv1.weight"), 12);
        Assert.Equal(groups.Sum(g => g.Parameters.Count), model.parameters().Count(p => p.requires_grad));
    }

    [Fact]
    public void CosineSchedule_DecaysToZero()
    {
        Assert.Equal(1.0, CosineSchedule.Factor(0, 100), 12);
        Assert.Equal(0.5, CosineSchedule.Factor(50, 100), 12);
        Assert.Equal(0.0, CosineSchedule.Factor(100, 100), 12);
    }
}
