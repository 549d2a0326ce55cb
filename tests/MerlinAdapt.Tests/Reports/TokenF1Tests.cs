using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class TokenF1Tests
{
    [Theory]
    [InlineData("The liver is cirrhotic.", "the LIVER is cirrhotic", 1.0)]
    [InlineData("", "", 1.0)]
    [InlineData("No ascites.", "", 0.0)]
    [InlineData("No ascites.", "Spleen normal.", 0.0)]
    // 2 common tokens of 3 and 4: P = 2/4, R = 2/3, F1 = 4/7.
    [InlineData("no free fluid", "no fluid is seen", 4.0 / 7.0)]
    // Counts matter: "no" twice on one side, once on the other.
    [InlineData("no no", "no", 2.0 / 3.0)]
    public void Score_IsBagOfWordsF1(string a, string b, double expected)
    {
        Assert.Equal(expected, TokenF1.Score(a, b), 12);
        Assert.Equal(expected, TokenF1.Score(b, a), 12);
    }
}
