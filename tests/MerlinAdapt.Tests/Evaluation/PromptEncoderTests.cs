using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Tokenization;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Evaluation;

[Collection("sequential-torch")]
public sealed class PromptEncoderTests
{
    [Fact]
    public void Encode_IsDropoutFree_AndLeavesAFreshModelTraining()
    {
        using var temp = new TempDirectory();
        var prompts = PromptSet.Load("hcc");
        var tokenizerPath = temp.File("tokenizer.json");
        File.WriteAllText(tokenizerPath, WordLevelTokenizerJson.Build(prompts.Classes.Values.SelectMany(p => p)));
        using var tokenizer = TextTokenizer.Load(tokenizerPath);
        manual_seed(5);
        using var model = new MerlinModel(ModelPresets.Tiny with { Image = null, Text = ModelPresets.Tiny.Text! with { VocabSize = tokenizer.VocabularySize } });
        Assert.True(model.Text.training); // a fresh module trains: dropout would make prompt embeddings random

        var first = new PromptEncoder(model, tokenizer, "a").Encode(prompts);
        var second = new PromptEncoder(model, tokenizer, "b").Encode(prompts);
        Assert.True(model.Text.training);
        model.eval();
        var inEval = new PromptEncoder(model, tokenizer, "c").Encode(prompts);

        foreach (var c in prompts.ClassNames)
        {
            Assert.True(first[c].eq(second[c]).all().item<bool>(), c);
            Assert.True(first[c].eq(inEval[c]).all().item<bool>(), c);
        }
    }
}
