using MerlinAdapt.Evaluation;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Evaluation;

public sealed class ZeroShotClassifierTests
{
    private static readonly PromptSet Hcc = PromptSet.Load("hcc");

    private static ZeroShotClassifier Classifier(PromptAggregation aggregation = PromptAggregation.MeanSimilarity) =>
        new(Hcc, new Dictionary<string, Tensor> { ["HCC"] = eye(3, 4)[..3], ["negative"] = eye(4)[1..] }, aggregation);

    /// <summary>fixtures/metrics m07: Merlin's rule on 3 + 3 prompt similarities, ties (18 of them) predicting negative.</summary>
    [Fact]
    public void Decide_ReproducesTheMerlinRule_OnTheFixture()
    {
        var c = MetricsCase.Load("m07_zero_shot_rule");
        var pos = c.Json.GetProperty("pos_sims").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).Average()).ToArray();
        var neg = c.Json.GetProperty("neg_sims").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetDouble()).Average()).ToArray();
        var classifier = Classifier();

        for (var i = 0; i < pos.Length; i++)
        {
            var r = classifier.Decide(new Dictionary<string, double> { ["HCC"] = pos[i], ["negative"] = neg[i] });
            Assert.Equal(c.Predicted[i], r.Predicted == "HCC" ? 1 : 0);
            Assert.Equal(c.Score[i], r.Score, 12);
        }
        Assert.Equal(18, c.Json.GetProperty("n_exact_ties").GetInt32());
    }

    [Fact]
    public void Classify_MeanSimilarity_AveragesCosinesPerClass()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new float[,] { { 2, 0, 0, 0 }, { 0, 0, 0, 3 } });

        var r = Classifier().Classify(image);

        Assert.Equal(1.0 / 3, r[0].Similarities["HCC"], 12);     // cos 1 with prompt 0, 0 with 1 and 2
        Assert.Equal(0, r[0].Similarities["negative"], 12);
        Assert.Equal("HCC", r[0].Predicted);
        Assert.Equal(1.0 / 3, r[1].Similarities["negative"], 12);
        Assert.Equal("negative", r[1].Predicted);
        Assert.Equal(-1.0 / 3, r[1].Score, 12);
    }

    [Fact]
    public void Classify_MeanEmbedding_IsOpenClipsRule()
    {
        using var scope = NewDisposeScope();
        var image = tensor(new float[,] { { 1, 0, 0, 0 } });

        var r = Classifier(PromptAggregation.MeanEmbedding).Classify(image);

        // Mean of e0, e1, e2 renormalised = (1,1,1,0)/√3: cosine 1/√3 rather than the mean cosine 1/3.
        Assert.Equal(1 / Math.Sqrt(3), r[0].Similarities["HCC"], 6);
    }

    [Fact]
    public void BuiltInPromptSets_LoadWithTheirPositiveClass()
    {
        Assert.Equal(3, Hcc.Classes["HCC"].Length);
        Assert.Equal("Liver mass consistent with hepatocellular carcinoma", Hcc.Classes["HCC"][0]);
        Assert.Equal("negative", Hcc.Negative);
        var fracture = PromptSet.Load("vertebral-fracture");
        Assert.Equal("fracture", fracture.Positive);
        Assert.True(fracture.IsBinary);
    }

    [Theory]
    [InlineData("""{"name": "x", "positive": "yes", "classes": {"no": ["a"], "maybe": ["b"]}}""", "positive class \"yes\"")]
    [InlineData("""{"name": "x", "positive": "yes", "classes": {"yes": ["a"]}}""", "at least two classes")]
    [InlineData("""{"name": "x", "positive": "yes", "classes": {"yes": [], "no": ["b"]}}""", "at least one non-empty prompt")]
    [InlineData("not json", "not a valid prompt set")]
    public void BadPromptFile_IsAnInputError(string json, string problem)
    {
        using var temp = new TempDirectory();
        File.WriteAllText(temp.File("p.json"), json);
        var e = Assert.Throws<InputException>(() => PromptSet.Load(temp.File("p.json")));
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void Retrieval_RecallAtK_CountsTheMatchedItemsRank()
    {
        using var scope = NewDisposeScope();
        var images = eye(4);
        var texts = tensor(new float[,] { { 1, 0, 0, 0 }, { 0, 1, 0, 0 }, { 0, 0, 0, 1 }, { 0, 0, 1, 0 } });

        var r = Retrieval.RecallAtK(images, texts, 1, 5);

        Assert.Equal(0.5, r["image_to_text_recall_at_1"], 12);
        Assert.Equal(1.0, r["image_to_text_recall_at_5"], 12);
        Assert.Equal(0.5, r["text_to_image_recall_at_1"], 12);
    }
}
