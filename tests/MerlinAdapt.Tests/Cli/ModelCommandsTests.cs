using MerlinAdapt.Model;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Cli;

/// <summary>import → encode through the real command line, checked against Merlin's outputs; params; error paths.</summary>
public sealed class ModelCommandsTests
{
    private static string Parity(string relative) => Fixtures.Path("model-parity/" + relative);

    [Fact]
    public void ImportThenEncode_Image_ReproducesMerlinsOutputs()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        var import = CliRunner.Run("import", "--checkpoint", Parity("image/image_weights.pt"), "--out", temp.File("model"));
        Assert.Equal(0, import.Code);
        Assert.Contains("image tower only", import.Out);

        foreach (var (output, expected, normalize) in new[]
                 {
                     ("pooled", "expected_pooled_features", false), ("contrastive", "expected_contrastive_raw", false),
                     ("contrastive", "expected_contrastive_l2norm", true), ("phenotypes", "expected_ehr_logits", false),
                     ("layer4", "expected_layer4_features", false),
                 })
        {
            var outFile = temp.File($"{expected}.npy");
            string[] args = ["encode", "--model", temp.File("model"), "--tensor", Parity("image/image_input.npy"), "--output", output, "--out", outFile];
            var run = CliRunner.Run(normalize ? [.. args, "--normalize"] : args);
            Assert.Equal(0, run.Code);
            Assert.True(TensorAssert.RelativeToMax(NpyFile.Read(Parity($"image/{expected}.npy")), NpyFile.Read(outFile)) <= 1e-4, expected);
        }
    }

    [Theory]
    [InlineData("text-hidden", "expected_last_hidden_state", false)]
    [InlineData("text-cls", "expected_cls", false)]
    [InlineData("text-projection", "expected_projection_raw", false)]
    [InlineData("text-projection", "expected_projection_l2norm", true)]
    public void ImportThenEncode_TokenIds_ReproduceTheReference(string output, string expected, bool normalize)
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        Assert.Equal(0, CliRunner.Run("import", "--checkpoint", Parity("text/text_weights.pt"), "--text-config", Parity("text/config.json"), "--out", temp.File("model")).Code);

        string[] args = ["encode", "--model", temp.File("model"), "--ids", Parity("text/case_a/input_ids.npy"), "--mask", Parity("text/case_a/attention_mask.npy"),
            "--output", output, "--out", temp.File("out.npy")];
        var run = CliRunner.Run(normalize ? [.. args, "--normalize"] : args);

        Assert.Equal(0, run.Code);
        Assert.True(TensorAssert.RelativeToMax(NpyFile.Read(Parity($"text/case_a/{expected}.npy")), NpyFile.Read(temp.File("out.npy"))) <= 1e-4);
    }

    [Fact]
    public void EncodeText_TokenisesLikeTrainingAndNormalises()
    {
        using var temp = new TempDirectory();
        using var scope = NewDisposeScope();
        manual_seed(2);
        using (var model = new MerlinModel(ModelPresets.Tiny with { Text = ModelPresets.Tiny.Text! with { VocabSize = 50265 } }))
            ModelFolder.Save(model, temp.File("model"), Fixtures.Path("tokenizer/tokenizer.json"));
        File.WriteAllLines(temp.File("reports.txt"), ["Liver: 3 cm arterially enhancing lesion with washout.", "", "No focal liver lesion."]);

        var run = CliRunner.Run("encode", "--model", temp.File("model"), "--texts", temp.File("reports.txt"), "--out", temp.File("e.npy"));
        var one = CliRunner.Run("encode", "--model", temp.File("model"), "--text", "no focal LIVER lesion .", "--out", temp.File("one.npy"));

        Assert.Equal((0, 0), (run.Code, one.Code));
        var embeddings = NpyFile.Read(temp.File("e.npy"));
        Assert.Equal([2L, 32], embeddings.shape);
        Assert.True(embeddings.norm(1).allclose(ones(2), atol: 1e-5));
        // The sanitiser makes these the same text, so the same embedding.
        Assert.True(NpyFile.Read(temp.File("one.npy"))[0].allclose(embeddings[1], atol: 1e-6));
    }

    [Fact]
    public void Params_MerlinPreset_PrintsTheExactCounts()
    {
        var (code, output, _) = CliRunner.Run("params", "--preset", "merlin");
        Assert.Equal(0, code);
        Assert.Contains("image encoder    121,882,204", output);
        Assert.Contains("text encoder     149,053,184", output);
        Assert.Contains("temperature                1", output);
    }

    [Theory]
    [InlineData("a_reduce_os_system.pt", "os.system")]
    [InlineData("b2_unexpected_class_custom_module.pt", "merlin_fixture_custom.Payload")]
    [InlineData("c_legacy_format.pt", "legacy")]
    [InlineData("d1_truncated_zip.pt", "truncated")]
    public void Import_UnsafeOrBrokenCheckpoint_IsRefusedWithExit1(string file, string reason)
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliRunner.Run("import", "--checkpoint", Fixtures.Path("unsafe-checkpoints/" + file), "--out", temp.File("model"));
        Assert.Equal(1, code);
        Assert.Contains(reason, error);
        Assert.False(Directory.Exists(temp.File("model")));
        Assert.False(File.Exists("/tmp/PWNED_merlin_fixture"));
    }

    [Fact]
    public void Import_ValidFileWithoutMerlinKeys_SaysSo()
    {
        using var temp = new TempDirectory();
        var (code, _, error) = CliRunner.Run("import", "--checkpoint", Fixtures.Path("unsafe-checkpoints/e_valid_state_dict.pt"), "--out", temp.File("m"));
        Assert.Equal(1, code);
        Assert.Contains("no Merlin weights", error);
    }

    [Fact]
    public void Encode_WrongInputs_AreOneLineErrors()
    {
        using var temp = new TempDirectory();
        using (var model = new MerlinModel(ModelPresets.Tiny)) ModelFolder.Save(model, temp.File("model"));
        NpyFile.Write(temp.File("bad.npy"), zeros(2, 3));

        var none = CliRunner.Run("encode", "--model", temp.File("model"), "--out", temp.File("o.npy"));
        var shape = CliRunner.Run("encode", "--model", temp.File("model"), "--tensor", temp.File("bad.npy"), "--out", temp.File("o.npy"));
        var noTokenizer = CliRunner.Run("encode", "--model", temp.File("model"), "--text", "liver", "--out", temp.File("o.npy"));

        Assert.Equal((1, 1, 1), (none.Code, shape.Code, noTokenizer.Code));
        Assert.Contains("give exactly one input", none.Err);
        Assert.Contains("expected float32 B×1×X×Y×Z", shape.Err);
        Assert.Contains("no tokenizer.json", noTokenizer.Err);
    }
}
