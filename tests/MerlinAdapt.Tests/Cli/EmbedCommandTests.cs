using System.Text.Json;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Model;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Cli;

public sealed class EmbedCommandTests
{
    [Fact]
    public void Embed_WritesEmbeddingsProjectionsAndSimilarity()
    {
        using var temp = new TempDirectory();
        manual_seed(6);
        using (var model = new MerlinModel(ModelPresets.Tiny with { Text = ModelPresets.Tiny.Text! with { VocabSize = 50265 } }))
            ModelFolder.Save(model, temp.File("model"), Fixtures.Path("tokenizer/tokenizer.json"));
        Directory.CreateDirectory(temp.File("scans"));
        var lines = new List<string> { "patient_id,study_id,image,report,label,split" };
        for (var i = 0; i < 8; i++)
        {
            SyntheticCtGenerator.Write(new SyntheticScanSpec { Size = [24, 20, 12], Spacing = [14, 14, 25], Seed = i }, temp.File($"scans/s{i}.nii.gz"));
            lines.Add($"p{i},s{i},scans/s{i}.nii.gz,Report number {i},{(i % 2 == 0 ? "HCC" : "negative")},test");
        }
        File.WriteAllLines(temp.File("manifest.csv"), lines);

        var (code, output, error) = CliRunner.Run("embed", "--model", temp.File("model"), "--manifest", temp.File("manifest.csv"), "--out", temp.File("embed"));

        Assert.True(code == 0, error);
        Assert.Contains("8 studies; matched image–report cosine", output);
        Assert.Equal(9, File.ReadAllLines(temp.File("embed/image_embeddings.csv")).Length);
        Assert.StartsWith("study_id,patient_id,label,e0,e1", File.ReadAllLines(temp.File("embed/text_embeddings.csv"))[0]);
        Assert.Equal(9, File.ReadAllLines(temp.File("embed/projections.csv")).Length);
        using var summary = JsonDocument.Parse(File.ReadAllText(temp.File("embed/summary.json")));
        Assert.InRange(summary.RootElement.GetProperty("matched_cosine").GetDouble(), -1, 1);
        foreach (var png in new[] { "embedding_pca.png", "embedding_tsne.png", "similarity.png" })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(temp.File("embed/" + png))[..4]);
    }
}
