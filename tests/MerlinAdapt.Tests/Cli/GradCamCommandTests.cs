using System.Text.Json;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Tests.Analysis;
using MerlinAdapt.Volumes;
using SkiaSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Cli;

[Collection("sequential-torch")] // seeded text tower
public sealed class GradCamCommandTests
{
    private static readonly SyntheticLesion Lesion = new(72, -24, 24, 20, LesionDetector.LesionHu);

    /// <summary>
    /// A tiny model folder whose image tower is the hand-set lesion detector, its contrastive head aimed along the
    /// HCC − negative prompt direction of its own (random, seeded) text tower, so the answer is known.
    /// </summary>
    private static void SaveDetectorModel(string directory)
    {
        using var scope = NewDisposeScope();
        manual_seed(7);
        using var model = new MerlinModel(ModelPresets.Tiny with { Text = ModelPresets.Tiny.Text! with { VocabSize = 50265 } });
        using var tokenizer = TextTokenizer.Load(Fixtures.Path("tokenizer/tokenizer.json"));
        var prompts = PromptSet.Load("hcc");
        var embeddings = new PromptEncoder(model, tokenizer, "test").Encode(prompts);
        var u = embeddings[prompts.Positive].mean([0]) - embeddings[prompts.Negative].mean([0]);
        var r = randn(u.shape[0]);
        var c = r - r.dot(u) / u.dot(u) * u;
        LesionDetector.Apply(model, u, c / c.norm());
        ModelFolder.Save(model, directory, Fixtures.Path("tokenizer/tokenizer.json"));
    }

    [Fact]
    public void GradCam_WritesAlignedHeatmapOverlaysAndSummary_PeakOnTheLesion()
    {
        using var temp = new TempDirectory();
        SaveDetectorModel(temp.File("model"));
        // Stored LPS, as DICOM converters write: the command reorients, the heatmap is on the RAS grid.
        SyntheticCtGenerator.Write(LesionDetector.Scan(Lesion, AxisConvention.Lps), temp.File("scan.nii.gz"));
        string[] grid = ["--spacing", "1.5,1.5,3", "--size", "128,128,64"];

        var (code, output, error) = CliRunner.Run(["gradcam", "--model", temp.File("model"), "--scan", temp.File("scan.nii.gz"), "--out", temp.File("cam"), .. grid]);

        Assert.True(code == 0, error);
        Assert.Contains("(predicted HCC); peak at voxel", output);
        Assert.True(CliRunner.Run(["preprocess", "--in", temp.File("scan.nii.gz"), "--out", temp.File("pre.nii.gz"), .. grid]).Code == 0);
        var preprocessed = NiftiReader.Read(temp.File("pre.nii.gz")).Volume;
        var heat = NiftiReader.Read(temp.File("cam/heatmap.nii.gz")).Volume;
        Assert.Equal(preprocessed.Shape, heat.Shape);
        Assert.Equal(preprocessed.Affine, heat.Affine);
        Assert.Equal(0f, heat.Voxels.Min());
        Assert.Equal(1f, heat.Voxels.Max());

        using var summary = JsonDocument.Parse(File.ReadAllText(temp.File("cam/gradcam.json")));
        var root = summary.RootElement;
        Assert.Equal("hcc", root.GetProperty("prompts").GetString());
        Assert.Equal("HCC", root.GetProperty("predicted").GetString());
        Assert.True(root.GetProperty("score").GetDouble() > 0);
        Assert.False(root.GetProperty("flat").GetBoolean());
        Assert.Equal([128, 128, 64], root.GetProperty("grid").EnumerateArray().Select(e => e.GetInt32()));
        Assert.Equal([4, 4, 4], root.GetProperty("layer4_grid").EnumerateArray().Select(e => e.GetInt32()));
        var peak = root.GetProperty("peak_voxel").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var mm = root.GetProperty("peak_mm").EnumerateArray().Select(e => e.GetDouble()).ToArray();
        Assert.Equal(1f, heat[peak[0], peak[1], peak[2]]);
        var world = preprocessed.Affine.Apply(peak[0], peak[1], peak[2]);
        Assert.Equal([world.X, world.Y, world.Z], mm);
        var distance = Math.Sqrt(Math.Pow(mm[0] - Lesion.X, 2) + Math.Pow(mm[1] - Lesion.Y, 2) + Math.Pow(mm[2] - Lesion.Z, 2));
        Assert.True(distance <= Lesion.RadiusMm, $"peak {distance:0.0} mm from the lesion centre");

        // The axial PNG through the peak: 0.5 mm pixels (1.5 mm / 3), the patient's right on the left, anterior on top.
        using var axial = SKBitmap.Decode(temp.File("cam/gradcam_axial.png"));
        Assert.Equal((384, 384), (axial.Width, axial.Height));
        var (row, column) = ((127 - peak[1]) * 3 + 1, (127 - peak[0]) * 3 + 1);
        var hot = axial.GetPixel(column, row);
        Assert.True(hot.Red > hot.Blue + 40, $"peak pixel {hot}");
        var mirrored = axial.GetPixel(axial.Width - 1 - column, row);
        Assert.True(mirrored.Red == mirrored.Green && mirrored.Green == mirrored.Blue, $"mirrored pixel {mirrored} should be plain grey");
        foreach (var plane in new[] { "coronal", "sagittal" })
        {
            using var image = SKBitmap.Decode(temp.File($"cam/gradcam_{plane}.png"));
            Assert.Equal((384, 384), (image.Width, image.Height));
        }
    }

    [Fact]
    public void Adapter_IsWhatGetsExplained()
    {
        using var temp = new TempDirectory();
        SaveDetectorModel(temp.File("model"));
        // A peft adapter (ConvLoRA merged into the convs on load) whose contrastive head points the detector at the
        // negative prompts: the adapted model sees no evidence for HCC anywhere.
        using (var adapted = ModelFolder.Load(temp.File("model")))
        {
            AdaptationPolicy.Apply(adapted, AdaptationMode.Peft);
            using (no_grad()) adapted.Image.Network.contrastive_head.weight!.neg_();
            AdapterFolder.Save(adapted, AdaptationMode.Peft, new LoraOptions(), ModelFolder.WeightsHash(temp.File("model")), temp.File("adapter"));
        }
        SyntheticCtGenerator.Write(LesionDetector.Scan(Lesion), temp.File("scan.nii.gz"));

        var (code, output, error) = CliRunner.Run("gradcam", "--model", temp.File("model"), "--adapter", temp.File("adapter"), "--scan", temp.File("scan.nii.gz"),
            "--out", temp.File("cam"), "--spacing", "1.5,1.5,3", "--size", "128,128,64");

        Assert.True(code == 0, error);
        Assert.Contains("(predicted negative); no voxel carries evidence for HCC", output);
        using var summary = JsonDocument.Parse(File.ReadAllText(temp.File("cam/gradcam.json")));
        Assert.True(summary.RootElement.GetProperty("flat").GetBoolean());
        Assert.EndsWith("adapter", summary.RootElement.GetProperty("adapter").GetString());
        Assert.All(NiftiReader.Read(temp.File("cam/heatmap.nii.gz")).Volume.Voxels, v => Assert.Equal(0f, v));
    }

    [Fact]
    public void MissingScan_IsOneLineAndExitOne()
    {
        using var temp = new TempDirectory();

        var (code, _, error) = CliRunner.Run("gradcam", "--model", temp.File("model"), "--scan", temp.File("missing.nii.gz"), "--out", temp.File("cam"));

        Assert.Equal(1, code);
        Assert.Equal($"merlin-adapt: {temp.File("missing.nii.gz")}: no such file or folder", error.TrimEnd());
        Assert.False(Directory.Exists(temp.File("cam")));
    }
}
