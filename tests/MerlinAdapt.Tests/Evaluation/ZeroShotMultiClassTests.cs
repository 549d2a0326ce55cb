using MerlinAdapt.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Evaluation;

public sealed class ZeroShotMultiClassTests
{
    [Fact]
    public void Decide_MoreThanTwoClasses_IsArgmax_TiesAgainstThePositive()
    {
        var set = PromptSet.Parse("{\"name\": \"liver\", \"positive\": \"HCC\", \"classes\": {\"HCC\": [\"a\"], \"cyst\": [\"b\"], \"normal\": [\"c\"]}}", "test");
        using var scope = NewDisposeScope();
        var classifier = new ZeroShotClassifier(set, set.ClassNames.ToDictionary(c => c, _ => ones(1, 4)));

        var cyst = classifier.Decide(new Dictionary<string, double> { ["HCC"] = 0.2, ["cyst"] = 0.5, ["normal"] = 0.1 });
        var tie = classifier.Decide(new Dictionary<string, double> { ["HCC"] = 0.5, ["cyst"] = 0.5, ["normal"] = 0.1 });
        var hcc = classifier.Decide(new Dictionary<string, double> { ["HCC"] = 0.6, ["cyst"] = 0.5, ["normal"] = 0.1 });

        Assert.Equal("cyst", cyst.Predicted);
        Assert.Equal(-0.3, cyst.Score, 12);
        Assert.Equal("cyst", tie.Predicted);
        Assert.Equal("HCC", hcc.Predicted);
        Assert.Equal(0.1, hcc.Score, 12);
    }

    [Theory]
    [InlineData(PromptAggregation.MeanSimilarity)]
    [InlineData(PromptAggregation.MeanEmbedding)]
    public void Scores_EqualTheDecisionsScore_AndCarryGradients(PromptAggregation aggregation)
    {
        var set = PromptSet.Parse("{\"name\": \"liver\", \"positive\": \"HCC\", \"classes\": {\"cyst\": [\"b\"], \"HCC\": [\"a\", \"a2\"], \"normal\": [\"c\"]}}", "test");
        using var scope = NewDisposeScope();
        var prompts = new Dictionary<string, Tensor>
        {
            ["cyst"] = tensor(new float[] { 0, 1, 0, 0 }).reshape(1, 4),
            ["HCC"] = tensor(new float[] { 1, 0, 0, 0, 1, 0, 1, 0 }).reshape(2, 4),
            ["normal"] = tensor(new float[] { 0, 0, 0, 1 }).reshape(1, 4),
        };
        var classifier = new ZeroShotClassifier(set, prompts, aggregation);
        var images = tensor(new float[] { 0.2f, 0.9f, 0.1f, 0.3f, 0.8f, 0.1f, 0.4f, 0.2f }).reshape(2, 4).requires_grad_(true);

        var scores = classifier.Scores(images);
        var gradient = autograd.grad([scores.sum()], [images])[0];

        var decided = classifier.Classify(images.detach());
        Assert.Equal(decided[0].Score, scores[0].ToDouble(), 12);
        Assert.Equal(decided[1].Score, scores[1].ToDouble(), 12);
        Assert.Equal("cyst", decided[0].Predicted);
        Assert.Equal("HCC", decided[1].Predicted);
        Assert.True(gradient.abs().sum().ToDouble() > 0);
    }
}
