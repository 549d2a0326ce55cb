using MerlinAdapt.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model;

public sealed class MerlinModelTests
{
    /// <summary>The full-size model's state dict has exactly the official keys and shapes (1,208 keys).</summary>
    [Fact]
    public void MerlinPreset_StateDict_EqualsTheOfficialKeyManifests()
    {
        var imageManifest = ReadManifest("model-parity/manifests/image_encoder_full_keys.tsv");
        var textManifest = ReadManifest("model-parity/manifests/text_encoder_full_keys.tsv");
        using var model = new MerlinModel(ModelPresets.Merlin);

        var actual = model.state_dict().ToDictionary(kv => kv.Key, kv => "[" + string.Join(",", kv.Value.shape) + "]");

        var expected = imageManifest.Concat(textManifest).ToDictionary(kv => kv.Key, kv => kv.Value);
        Assert.Equal(1208, expected.Count);
        Assert.Empty(expected.Keys.Except(actual.Keys));
        Assert.Empty(actual.Keys.Except(expected.Keys));
        foreach (var (key, shape) in expected) Assert.True(shape == actual[key], $"{key}: {actual[key]} instead of {shape}");
    }

    [Fact]
    public void MerlinPreset_ParameterCounts_MatchThePaperAndTheCheckpoint()
    {
        using var model = new MerlinModel(ModelPresets.Merlin);

        var counts = model.CountParameters();

        Assert.Equal(121_882_204, counts.ImageEncoder); // the paper's figure
        Assert.Equal(149_053_184, counts.TextEncoder);  // merlin-model.md §2.8: what the checkpoint holds
        Assert.Equal(1, counts.Temperature);
    }

    [Fact]
    public void TinyPreset_EncodesBothTowers_AndLogitsUseTheTemperature()
    {
        using var scope = NewDisposeScope();
        manual_seed(1);
        var model = new MerlinModel(ModelPresets.Tiny);
        model.eval();
        using var noGrad = no_grad();

        using var image = model.EncodeImage(rand([2, 1, 32, 32, 16]));
        using var text = model.EncodeText(tensor(new long[,] { { 0, 5, 6, 2 }, { 0, 7, 2, 1 } }), tensor(new long[,] { { 1, 1, 1, 1 }, { 1, 1, 1, 0 } }));
        var logits = model.Logits(image.Contrastive, text.Projection);

        Assert.Equal([2L, 64 * 4], image.Pooled.shape);
        Assert.Equal([2L, 32], image.Contrastive.shape);
        Assert.Equal([2L, 16], image.Phenotypes.shape);
        Assert.Equal([2L, 32], text.Projection.shape);
        var cos = matmul(image.Normalized(), text.Normalized().t());
        Assert.True(logits.allclose(cos * Math.E, rtol: 1e-5, atol: 1e-6)); // logit_scale 1.0 → × e
        Assert.Equal(Math.Exp(-1), model.Temperature, 6);
    }

    internal static Dictionary<string, string> ReadManifest(string relative) =>
        File.ReadLines(Fixtures.Path(relative)).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split('\t')).ToDictionary(f => f[0], f => f[1]);
}
