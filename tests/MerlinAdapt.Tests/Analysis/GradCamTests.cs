using MerlinAdapt.Analysis;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

public sealed class GradCamTests
{
    private const double LesionRadiusMm = 20;

    /// <summary>
    /// Embedding space of 4: positive prompts along e0, negative along e1, so score = ê·(e0 − e1); the detector maps
    /// onto u = e0 − e1 with offset c = e2 (|u|² = 2, |c| = 1, c ⟂ u).
    /// </summary>
    private static (PromptSet Prompts, ZeroShotClassifier Classifier, Tensor U, Tensor C) Setup()
    {
        var prompts = PromptSet.Load("hcc");
        var e = eye(4, dtype: float32);
        var embeddings = new Dictionary<string, Tensor>
        {
            [prompts.Positive] = e[0].expand(3, -1),
            [prompts.Negative] = e[1].expand(3, -1),
        };
        return (prompts, new ZeroShotClassifier(prompts, embeddings), e[0] - e[1], e[2]);
    }

    private static Volume Preprocessed(SyntheticLesion lesion) =>
        new CtPreprocessor(LesionDetector.Preprocessing).Process(SyntheticCtGenerator.Generate(LesionDetector.Scan(lesion)));

    // Two lesions in different layer4 cells along every axis ((3, 1, 2) and (2, 2, 3)): a flipped or transposed axis
    // anywhere between the (X, Y, Z) volume, the (D, H, W) map and the heatmap would move the peak away.
    [Theory]
    [InlineData(72, -24, 24)]
    [InlineData(24, 24, 72)]
    public void Heat_PeaksOnTheLesion(double x, double y, double z)
    {
        using var scope = NewDisposeScope();
        var (_, classifier, u, c) = Setup();
        using var model = LesionDetector.ImageOnly(u, c);
        var scan = Preprocessed(new SyntheticLesion(x, y, z, LesionRadiusMm, LesionDetector.LesionHu));

        var result = new GradCam(model, classifier).Compute(scan);

        Assert.False(result.Flat);
        var (px, py, pz) = result.PeakWorld;
        var distance = Math.Sqrt((px - x) * (px - x) + (py - y) * (py - y) + (pz - z) * (pz - z));
        Assert.True(distance <= LesionRadiusMm, $"peak at ({px:0.0}, {py:0.0}, {pz:0.0}) mm is {distance:0.0} mm from the lesion at ({x}, {y}, {z})");
        Assert.Equal(scan.Affine.Apply(result.PeakVoxel[0], result.PeakVoxel[1], result.PeakVoxel[2]), result.PeakWorld);
        Assert.Equal(1f, result.Heatmap[result.PeakVoxel[0], result.PeakVoxel[1], result.PeakVoxel[2]]);
        // Far from the lesion (the opposite corner of the grid) there is no evidence.
        var (fi, fj, fk) = (x > 0 ? 0 : 127, y > 0 ? 0 : 127, z > 0 ? 0 : 63);
        Assert.Equal(0f, result.Heatmap[fi, fj, fk]);
        Assert.True(result.Score > 0);
        Assert.Equal("HCC", result.Prediction.Predicted);
    }

    [Fact]
    public void Heat_IsMinMaxNormalisedOnTheInputGridAndAffine()
    {
        using var scope = NewDisposeScope();
        var (_, classifier, u, c) = Setup();
        using var model = LesionDetector.ImageOnly(u, c);
        var scan = Preprocessed(new SyntheticLesion(72, -24, 24, LesionRadiusMm, LesionDetector.LesionHu));

        var result = new GradCam(model, classifier).Compute(scan);

        Assert.Equal(scan.Shape, result.Heatmap.Shape);
        Assert.Equal(scan.Affine, result.Heatmap.Affine);
        Assert.Equal(0f, result.Heatmap.Voxels.Min());
        Assert.Equal(1f, result.Heatmap.Voxels.Max());
        Assert.Equal([4, 4, 4], result.Layer4Grid);
    }

    [Fact]
    public void ChannelWeights_EqualTheAnalyticMeanGradient()
    {
        using var scope = NewDisposeScope();
        var (_, classifier, u, c) = Setup();
        using var model = LesionDetector.ImageOnly(u, c);
        // A small case: 64×64×32 → layer4 2×2×2.
        var spec = LesionDetector.Scan(new SyntheticLesion(30, -10, 20, 25, LesionDetector.LesionHu)) with { Size = [64, 64, 32], Spacing = [3, 3, 6] };
        var scan = new CtPreprocessor(new PreprocessingOptions { Spacing = [3, 3, 6], Size = [64, 64, 32] }).Process(SyntheticCtGenerator.Generate(spec));

        var result = new GradCam(model, classifier).Compute(scan);

        double pooled;
        long cells;
        using (no_grad())
        using (var input = VolumeTensor.From(scan))
        using (var features = model.EncodeImage(input))
        {
            pooled = features.Pooled[0, 0].ToDouble();
            cells = features.Layer4.shape[2] * features.Layer4.shape[3] * features.Layer4.shape[4];
        }
        Assert.True(pooled > 0);
        Assert.Equal(8, cells);
        // score = p|u|²/|c + pu| with |u|² = 2, |c| = 1, c ⟂ u; ∂score/∂A_0(d, h, w) = (∂score/∂p) / cells everywhere.
        var norm = Math.Sqrt(1 + 2 * pooled * pooled);
        Assert.Equal(2 * pooled / norm, result.Score, 1e-6);
        var expected = 2 / (norm * norm * norm) / cells;
        Assert.Equal(8, result.ChannelWeights.Length);
        Assert.True(Math.Abs(result.ChannelWeights[0] - expected) <= 1e-5 * expected, $"α0 = {result.ChannelWeights[0]}, expected {expected}");
        Assert.All(result.ChannelWeights.Skip(1), w => Assert.Equal(0f, w));
    }

    [Fact]
    public void NoPositiveEvidence_GivesAFlatZeroMap()
    {
        using var scope = NewDisposeScope();
        var (_, classifier, u, c) = Setup();
        // The detector pointed away from the positive prompts: every channel weight is negative, ReLU leaves nothing.
        using var model = LesionDetector.ImageOnly(-u, c);
        var scan = Preprocessed(new SyntheticLesion(72, -24, 24, LesionRadiusMm, LesionDetector.LesionHu));

        var result = new GradCam(model, classifier).Compute(scan);

        Assert.True(result.Flat);
        Assert.True(result.ChannelWeights[0] < 0);
        Assert.All(result.Heatmap.Voxels, v => Assert.Equal(0f, v));
        Assert.Equal("negative", result.Prediction.Predicted);
        Assert.Equal([64, 64, 32], result.PeakVoxel); // no peak: the central planes
    }

    [Fact]
    public void Compute_LeavesTheModelAsItWas()
    {
        using var scope = NewDisposeScope();
        var (_, classifier, u, c) = Setup();
        using var model = LesionDetector.ImageOnly(u, c);
        model.train();
        var before = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.clone());
        var scan = new CtPreprocessor(new PreprocessingOptions { Spacing = [6, 6, 12], Size = [32, 32, 16] })
            .Process(SyntheticCtGenerator.Generate(new SyntheticScanSpec { Size = [32, 32, 16], Spacing = [6, 6, 12], Convention = AxisConvention.Ras }));

        new GradCam(model, classifier).Compute(scan);

        Assert.True(model.Image.Network.training);
        Assert.All(model.state_dict(), kv => Assert.True(TensorAssert.Same(before[kv.Key], kv.Value), kv.Key));
        Assert.All(model.parameters(), p => Assert.True(p.grad is null));
    }
}
