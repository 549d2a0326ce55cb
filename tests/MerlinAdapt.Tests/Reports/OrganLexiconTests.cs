using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Reports;

public sealed class OrganLexiconTests
{
    [Theory]
    [InlineData("New LI-RADS 5 observation in segment VII.", "liver")]
    [InlineData("Status post TACE.", "liver")]
    [InlineData("Tumor thrombus in the main portal vein.", "liver")]
    [InlineData("LR-M lesion.", "liver")]
    [InlineData("Mild splenomegaly.", "spleen")]
    [InlineData("Diverticulosis of the splenic flexure.", "bowel")]
    [InlineData("Patent splenic vein.", "circulatory")]
    [InlineData("No hydronephrosis.", "kidneys")]
    [InlineData("Left adrenal adenoma.", "adrenal_glands")]
    [InlineData("Status post cholecystectomy.", "gallbladder")]
    [InlineData("Small hiatal hernia.", "bowel")]
    [InlineData("Small umbilical hernia.", "peritoneum")]
    [InlineData("No pelvic lymphadenopathy.", "lymph_nodes")]
    [InlineData("Small amount of pelvic fluid.", "pelvic")]
    [InlineData("Compression fracture of L1.", "musculoskeletal")]
    [InlineData("Bibasilar atelectasis.", "lower_thorax")]
    [InlineData("Atherosclerosis of the aorta.", "circulatory")]
    [InlineData("Images in the portal venous phase.", "")]
    [InlineData("No acute abnormality.", "")]
    [InlineData("The liver, spleen and pancreas are normal.", "liver,spleen,pancreas")]
    [InlineData("The gallbladder is normal; the urinary bladder is distended.", "gallbladder,pelvic")]
    public void Organs_ReadsTheSystemsFromTheWords(string sentence, string expected)
    {
        Assert.Equal(expected.Split(',', StringSplitOptions.RemoveEmptyEntries), OrganLexicon.Organs(sentence));
    }

    [Fact]
    public void EveryLexiconSystem_IsOneOfMerlins13()
    {
        Assert.Equal(13, OrganSystems.All.Count);
        foreach (var organ in OrganSystems.All) Assert.Same(organ, OrganSystems.FromName(organ.Header));
        Assert.Equal("kidneys", OrganSystems.FromName("Kidneys, ureters")!.Key);
        Assert.Equal("lymph_nodes", OrganSystems.FromName("lymph nodes")!.Key);
    }
}
