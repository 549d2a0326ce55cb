using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class AnatomyDecomposerTests
{
    private static SectionAnatomy Decompose(string text) => AnatomyDecomposer.Decompose(SentenceSplitter.Split(text));

    [Fact]
    public void Label_ReachesSentencesOfNoOtherSystem_InOneLineText()
    {
        var anatomy = Decompose("Liver: cirrhotic. New LR-5 observation. Spleen: 14 cm. No ascites. Unchanged.");

        Assert.Equal("cirrhotic. New LR-5 observation.", anatomy.Organs["liver"]);
        Assert.Equal("14 cm. Unchanged.", anatomy.Organs["spleen"]);
        Assert.Equal("No ascites.", anatomy.Organs["peritoneum"]);
    }

    [Fact]
    public void LabelWithText_ReachesTheEndOfItsLine_HeaderAlone_ReachesTheNextLabel()
    {
        var anatomy = Decompose("PANCREAS: Normal. Unchanged.\nStable appearance.\nSPLEEN:\nNormal size.\nStable appearance.");

        Assert.Equal("Normal. Unchanged.", anatomy.Organs["pancreas"]);
        Assert.Equal("Normal size. Stable appearance.", anatomy.Organs["spleen"]);
        Assert.Equal("Stable appearance.", anatomy.Other);
    }

    [Fact]
    public void LabelOfNoSystem_EndsTheReach_LabelOfSeveral_KeepsItsWords()
    {
        var anatomy = Decompose("LIVER:\nNodular.\nOther: Stool burden.\nLiver and spleen: normal.");

        Assert.Equal("Nodular. Liver and spleen: normal.", anatomy.Organs["liver"]);
        Assert.Equal("Liver and spleen: normal.", anatomy.Organs["spleen"]);
        Assert.Equal("Stool burden.", anatomy.Other);
    }

    [Fact]
    public void TheLabelDecides_ForTheSentenceThatCarriesIt()
    {
        var anatomy = Decompose("Peritoneal cavity: Small perihepatic ascites.\nLiver: Lesion abutting the gallbladder fossa.");

        Assert.Equal(["liver", "peritoneum"], anatomy.Organs.Keys.Order());
    }
}
