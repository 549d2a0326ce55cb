using MerlinAdapt.Analysis;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Analysis;

public sealed class SimilarityMatrixTests
{
    [Fact]
    public void Of_SortsByClass_AndAveragesMatchedAndUnmatchedPairs()
    {
        using var scope = NewDisposeScope();
        var images = eye(3, dtype: float64);
        var reports = tensor(new double[,] { { 1, 0, 0 }, { 0, 1, 1 }, { 0, 0, 1 } });

        var m = SimilarityMatrix.Of(images, reports, ["negative", "HCC", "negative"]);

        Assert.Equal(["HCC", "negative", "negative"], m.Labels);
        Assert.Equal(1 / Math.Sqrt(2), m.Values[0, 0], 12); // image 1 × report 1, now first
        Assert.Equal((1 + 1 / Math.Sqrt(2) + 1) / 3, m.MatchedMean, 12);
        Assert.Equal(1 / Math.Sqrt(2) / 6, m.UnmatchedMean, 12);
    }
}
