using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class SentenceSplitterTests
{
    [Theory]
    [InlineData("The lesion measures 3.2 cm. It is new.", "The lesion measures 3.2 cm.|It is new.")]
    [InlineData("Known HCC, s/p TACE. Stable.", "Known HCC, s/p TACE.|Stable.")]
    [InlineData("Small cysts, e.g. in segment 2, are stable. No ascites.", "Small cysts, e.g. in segment 2, are stable.|No ascites.")]
    [InlineData("Approx. 3 cm lesion. See image No. 12 of series 3. Fluid: no. Spleen normal.",
        "Approx. 3 cm lesion.|See image No. 12 of series 3.|Fluid: no.|Spleen normal.")]
    [InlineData("1. HCC in segment 7. 2. Cirrhosis. 3) Splenomegaly", "HCC in segment 7.|Cirrhosis.|Splenomegaly.")]
    [InlineData("Discussed with Dr. Example at 10:30. LI-RADS 5 vs. LR-M.", "Discussed with Dr. Example at 10:30.|LI-RADS 5 vs. LR-M.")]
    [InlineData("the liver is normal. the spleen is normal.", "the liver is normal.|the spleen is normal.")]
    [InlineData("Lesion (i.e. an HCC). Next.", "Lesion (i.e. an HCC).|Next.")]
    [InlineData("Is there ascites? No. Is the CBD dilated? Yes.", "Is there ascites?|No.|Is the CBD dilated?|Yes.")]
    public void Split_EndsSentencesOnlyWhereTheyEnd(string text, string expected)
    {
        Assert.Equal(expected.Split('|'), SentenceSplitter.Split(text).Select(s => s.Text));
    }

    [Fact]
    public void Split_JoinsWrappedLines_AndMarksLineStarts()
    {
        var sentences = SentenceSplitter.Split("The liver is\ncirrhotic. No lesion.\n- No ascites\nLIVER:\nNormal.");

        Assert.Equal(["The liver is cirrhotic.", "No lesion.", "No ascites.", "LIVER:", "Normal."], sentences.Select(s => s.Text));
        Assert.Equal([true, false, true, true, true], sentences.Select(s => s.StartsLine));
    }

    [Fact]
    public void Split_EmptyText_GivesNoSentence()
    {
        Assert.Empty(SentenceSplitter.Split(" \n\n "));
    }
}
