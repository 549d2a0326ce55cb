using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Reports;

namespace MerlinAdapt.Tests.Model.Tokenization;

public sealed class WordLevelTokenizerJsonTests
{
    [Fact]
    public void Build_LoadsWithTextTokenizer_AndEncodesReportsAndPromptsWithoutUnknown()
    {
        using var temp = new TempDirectory();
        var reports = new SyntheticCohortGenerator(new SyntheticCohortOptions { Patients = 20, Hospital = HospitalProfile.B }).Plan().Select(s => s.Report).ToList();
        var prompts = PromptSet.Load("hcc").Classes.Values.SelectMany(p => p).ToList();
        var path = temp.File("tokenizer.json");
        File.WriteAllText(path, WordLevelTokenizerJson.Build(reports.Concat(prompts)));

        using var tokenizer = TextTokenizer.Load(path);
        Assert.Equal(1, tokenizer.PadId);
        Assert.Equal(2, tokenizer.SpecialTokenCount);
        foreach (var text in reports.Concat(prompts))
        {
            var ids = tokenizer.Encode(ReportSanitizer.Sanitize(text));
            Assert.Equal(0, ids[0]);
            Assert.Equal(2, ids[^1]);
            Assert.DoesNotContain(3, ids);
            Assert.Equal(ReportSanitizer.Sanitize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries).Length + 2, ids.Length);
        }
        Assert.Contains(3, tokenizer.Encode("zebra"));
        var batch = tokenizer.EncodeBatch(["liver", "no focal liver lesion"]);
        Assert.NotNull(batch);
    }

    [Fact]
    public void Build_SameTexts_SameFile()
    {
        string[] texts = ["HCC in segment 7.", "No focal liver lesion."];
        Assert.Equal(WordLevelTokenizerJson.Build(texts), WordLevelTokenizerJson.Build(texts.Reverse()));
    }
}
