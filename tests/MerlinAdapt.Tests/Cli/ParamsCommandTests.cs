namespace MerlinAdapt.Tests.Cli;

public sealed class ParamsCommandTests
{
    [Fact]
    public void ParamsPeft_PrintsThePapersCodeCounts_AndTheTemperatureOnItsOwnLine()
    {
        var (code, output, _) = CliRunner.Run("params", "--preset", "merlin", "--mode", "peft");

        Assert.Equal(0, code);
        Assert.Contains("text LoRA            884,736", output);
        Assert.Contains("ConvLoRA             916,992", output);
        Assert.Contains("layer1 14,848 / layer2 78,848 / layer3 702,464 / layer4 120,832", output);
        Assert.Contains("projections        1,442,816", output);
        Assert.Contains("trainable          3,244,544", output);
        Assert.Contains("temperature                1", output);
    }

    [Fact]
    public void ParamsTextLora_WithAnotherRank_CountsThatRank()
    {
        var (code, output, _) = CliRunner.Run("params", "--preset", "tiny", "--mode", "text-lora", "--text-rank", "4", "--text-targets", "query,value");

        Assert.Equal(0, code);
        // tiny: 2 layers × 2 targets × r·(64 + 64) = 2·2·4·128
        Assert.Contains("text LoRA              2,048", output);
    }

    [Fact]
    public void Params_UnknownMode_IsAnInputError()
    {
        var (code, _, error) = CliRunner.Run("params", "--preset", "tiny", "--mode", "lora");
        Assert.Equal(1, code);
        Assert.Contains("unknown adaptation mode \"lora\"", error);
    }
}
