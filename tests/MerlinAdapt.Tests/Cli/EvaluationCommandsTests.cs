using System.Globalization;
using System.Text.Json;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Model;
using MerlinAdapt.Tests.Evaluation;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Cli;

public sealed class EvaluationCommandsTests
{
    [Fact]
    public void Metrics_FromAPredictionsCsv_EqualScikitLearn_AndWriteEveryOutput()
    {
        using var temp = new TempDirectory();
        var c = MetricsCase.Load("m08_patients");
        File.WriteAllLines(temp.File("other_model.csv"), new[] { "patient_id,label,score,prediction" }
            .Concat(c.Truth.Select((t, i) => $"{c.Patients[i]},{t},{c.Score[i].ToString("R", CultureInfo.InvariantCulture)},{c.Predicted[i]}")));

        var (code, output, _) = CliRunner.Run("metrics", "--predictions", temp.File("other_model.csv"), "--out", temp.File("out/metrics.json"), "--resamples", "200");

        Assert.Equal(0, code);
        Assert.Contains("| other_model | 0.638 (", output);
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("out/metrics.json")));
        var m = json.RootElement.GetProperty("metrics");
        Assert.Equal(c.Metrics.GetProperty("roc_auc").GetDouble(), m.GetProperty("roc_auc").GetProperty("value").GetDouble(), 12);
        Assert.Equal(40, json.RootElement.GetProperty("n_patients").GetInt32());
        Assert.Equal([[54, 26], [25, 45]], json.RootElement.GetProperty("confusion_matrix").EnumerateArray().Select(r => r.EnumerateArray().Select(v => v.GetInt32()).ToArray()).ToArray());
        foreach (var png in new[] { "roc.png", "confusion.png" })
            Assert.Equal([0x89, (byte)'P', (byte)'N', (byte)'G'], File.ReadAllBytes(temp.File("out/" + png))[..4]);
    }

    [Fact]
    public void Metrics_ClassNames_NeedThePositiveClass()
    {
        using var temp = new TempDirectory();
        File.WriteAllLines(temp.File("p.csv"), ["patient_id,label,score,prediction", "p1,HCC,0.3,HCC", "p2,negative,-0.1,negative"]);

        var refused = CliRunner.Run("metrics", "--predictions", temp.File("p.csv"));
        var accepted = CliRunner.Run("metrics", "--predictions", temp.File("p.csv"), "--positive", "HCC", "--resamples", "50");

        Assert.Equal(1, refused.Code);
        Assert.Contains("line 2: label \"HCC\" is not 0/1; pass --positive CLASS", refused.Err);
        Assert.Equal(0, accepted.Code);
        Assert.Contains("| 1.000 (", accepted.Out);
    }

    /// <summary>evaluate end to end: tiny model with the fixture tokenizer, synthetic scans, the hcc prompts.</summary>
    [Fact]
    public void Evaluate_WritesPredictionsMetricsAndPlots_ForTheSplit()
    {
        using var temp = new TempDirectory();
        manual_seed(4);
        using (var model = new MerlinModel(ModelPresets.Tiny with { Text = ModelPresets.Tiny.Text! with { VocabSize = 50265 } }))
            ModelFolder.Save(model, temp.File("model"), Fixtures.Path("tokenizer/tokenizer.json"));
        Directory.CreateDirectory(temp.File("scans"));
        var lines = new List<string> { "patient_id,study_id,image,report,label,split" };
        for (var i = 0; i < 6; i++)
        {
            SyntheticCtGenerator.Write(new SyntheticScanSpec { Size = [24, 20, 12], Spacing = [14, 14, 25], Seed = i,
                Lesions = i % 2 == 0 ? [new SyntheticLesion(60, 10, 40, 25, 30)] : [] }, temp.File($"scans/s{i}.nii.gz"));
            lines.Add($"p{i / 2},s{i},scans/s{i}.nii.gz,Liver lesion report {i},{(i % 2 == 0 ? "HCC" : "negative")},{(i < 5 ? "test" : "train")}");
        }
        File.WriteAllLines(temp.File("manifest.csv"), lines);

        var (code, output, error) = CliRunner.Run("evaluate", "--model", temp.File("model"), "--manifest", temp.File("manifest.csv"), "--split", "test",
            "--prompts", "hcc", "--out", temp.File("eval"), "--resamples", "100", "--retrieval");

        Assert.True(code == 0, error);
        Assert.Contains("| F1 ↑ | Recall ↑ | Precision ↑ | Accuracy ↑ | AUC ↑ |", output);
        var predictions = File.ReadAllLines(temp.File("eval/predictions.csv"));
        Assert.Equal("study_id,patient_id,label,prediction,score,sim_HCC,sim_negative", predictions[0]);
        Assert.Equal(6, predictions.Length); // header + the 5 test scans
        using var json = JsonDocument.Parse(File.ReadAllText(temp.File("eval/metrics.json")));
        Assert.Equal(5, json.RootElement.GetProperty("n").GetInt32());
        Assert.Equal(3, json.RootElement.GetProperty("n_patients").GetInt32());
        Assert.True(json.RootElement.GetProperty("retrieval").GetProperty("image_to_text_recall_at_5").GetDouble() == 1.0); // 5 candidates
        Assert.True(File.Exists(temp.File("eval/roc.png")));
        Assert.Contains($"evaluate: report {temp.File("eval/report.html")}", output);
        Assert.Contains("<title>MerlinAdapt evaluation: model on test</title>", File.ReadAllText(temp.File("eval/report.html")));
    }

    [Fact]
    public void Evaluate_LabelOutsideThePromptSet_NamesTheLine()
    {
        using var temp = new TempDirectory();
        using (var model = new MerlinModel(ModelPresets.Tiny with { Text = ModelPresets.Tiny.Text! with { VocabSize = 50265 } }))
            ModelFolder.Save(model, temp.File("model"), Fixtures.Path("tokenizer/tokenizer.json"));
        File.WriteAllLines(temp.File("manifest.csv"), ["patient_id,study_id,image,label,split", "p1,s1,x.nii.gz,cholangiocarcinoma,test"]);

        var (code, _, error) = CliRunner.Run("evaluate", "--model", temp.File("model"), "--manifest", temp.File("manifest.csv"), "--out", temp.File("eval"));

        Assert.Equal(1, code);
        Assert.Contains("line 2: label \"cholangiocarcinoma\" is not a class of prompt set hcc", error);
    }
}
