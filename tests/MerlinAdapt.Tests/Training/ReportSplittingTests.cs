using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Training;

public sealed class ReportSplittingTests
{
    private static readonly TrainingPair Pair = new("A-0001-s1", "A-0001", "HCC", "full report", "anatomy view",
        ["Liver and biliary tree: HCC.", "Spleen: normal.", "Pancreas: normal."]);

    [Fact]
    public void Draw_DependsOnlyOnSeedStepAndStudy()
    {
        var first = Enumerable.Range(0, 50).Select(step => ReportSplitting.Text(Pair, "full report", 0.5, 42, step)).ToList();
        var again = Enumerable.Range(0, 50).Select(step => ReportSplitting.Text(Pair, "full report", 0.5, 42, step)).ToList();
        var otherSeed = Enumerable.Range(0, 50).Select(step => ReportSplitting.Text(Pair, "full report", 0.5, 7, step)).ToList();

        Assert.Equal(first, again);
        Assert.NotEqual(first, otherSeed);
    }

    /// <summary>Seeded: over 6,000 steps the full report comes back with probability p, and the sections share the rest evenly.</summary>
    [Fact]
    public void Draws_FollowTheProbability_AndPickSectionsUniformly()
    {
        var texts = Enumerable.Range(0, 6000).Select(step => ReportSplitting.Text(Pair, "full report", 0.4, 3, step)).ToList();

        Assert.InRange(texts.Count(t => t == "full report") / 6000.0, 0.38, 0.42);
        foreach (var section in Pair.Sections!)
            Assert.InRange(texts.Count(t => t == section) / 6000.0, 0.18, 0.22);
    }

    [Fact]
    public void Extremes_AndAPairWithoutSections()
    {
        var steps = Enumerable.Range(0, 200).ToList();

        Assert.All(steps, s => Assert.Equal("anatomy view", ReportSplitting.Text(Pair, "anatomy view", 1.0, 1, s)));
        Assert.All(steps, s => Assert.Contains(ReportSplitting.Text(Pair, "anatomy view", 0.0, 1, s), Pair.Sections!));
        Assert.All(steps, s => Assert.Equal("full report", ReportSplitting.Text(Pair with { Sections = [] }, "full report", 0.0, 1, s)));
    }
}
