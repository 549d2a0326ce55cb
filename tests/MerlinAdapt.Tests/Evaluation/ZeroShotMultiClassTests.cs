using MerlinAdapt.Evaluation;
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
}
