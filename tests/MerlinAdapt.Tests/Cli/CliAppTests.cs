using MerlinAdapt.Cli;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Tests.Cli;

public sealed class CliAppTests
{
    [Fact]
    public void Help_ListsTheCommands()
    {
        var (code, output, _) = CliRunner.Run("--help");
        Assert.Equal(0, code);
        foreach (var command in new[] { "demo", "preprocess", "prepare", "structure-reports", "split", "import", "params", "encode", "merge", "train", "evaluate", "sweep", "ablate", "metrics", "tokenize" })
            Assert.Contains(command, output);
    }

    [Theory]
    [InlineData("demo")]
    [InlineData("preprocess")]
    [InlineData("prepare")]
    [InlineData("structure-reports")]
    [InlineData("split")]
    [InlineData("import")]
    [InlineData("params")]
    [InlineData("encode")]
    [InlineData("merge")]
    [InlineData("train")]
    [InlineData("evaluate")]
    [InlineData("sweep")]
    [InlineData("ablate")]
    [InlineData("metrics")]
    [InlineData("tokenize")]
    public void EveryCommand_HasHelp(string command)
    {
        var (code, output, _) = CliRunner.Run(command, "--help");
        Assert.Equal(0, code);
        Assert.Contains($" {command} [options]", output); // in-process, the program name is the test host
    }

    [Fact]
    public void NoCommand_PrintsHelpAndFails()
    {
        var (code, output, _) = CliRunner.Run();
        Assert.Equal(1, code);
        Assert.Contains("Commands:", output);
    }

    [Fact]
    public void UsageError_IsOneLineAndExitCode1()
    {
        var (code, _, error) = CliRunner.Run("preprocess", "--in", "a.nii", "--out", "b.nii.gz", "--size", "1,2");
        Assert.Equal(1, code);
        Assert.Equal("merlin-adapt: --size needs 3 comma-separated numbers, got \"1,2\" (see 'merlin-adapt preprocess --help')", error.Trim());
    }

    [Fact]
    public void InternalError_IsExitCode2_WithTheStackTraceInALogFile()
    {
        var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, CancellationToken.None);

        var code = CliApp.Guard(context, () => throw new InvalidOperationException("boom"));

        Assert.Equal(2, code);
        var line = error.ToString().Trim();
        Assert.StartsWith("merlin-adapt: internal error: InvalidOperationException: boom (details in ", line);
        var log = line[(line.IndexOf("details in ", StringComparison.Ordinal) + 11)..line.IndexOf(';')];
        Assert.Contains("at MerlinAdapt.Tests.Cli.CliAppTests", File.ReadAllText(log));
        File.Delete(log);
    }

    [Fact]
    public void ConfigFile_SuppliesOptions_AndFlagsWin()
    {
        using var temp = new TempDirectory();
        var config = temp.File("run.json");
        File.WriteAllText(config, """{"spacing": [2, 2, 4], "size": "8,8,8", "allow_nan": true, "volume": null}""");

        var merged = ConfigFile.Merge(["preprocess", "--config", config, "--size", "4,4,4"]);

        Assert.Equal(["preprocess", "--size", "4,4,4", "--spacing", "2,2,4", "--allow-nan"], merged);
    }

    [Fact]
    public void ConfigFile_Missing_IsAnInputError()
    {
        var (code, _, error) = CliRunner.Run("preprocess", "--config", "/nonexistent/run.json");
        Assert.Equal(1, code);
        Assert.Equal("merlin-adapt: /nonexistent/run.json: config file not found", error.Trim());
    }

    [Fact]
    public void Warnings_GoToStderrAsOneLine()
    {
        var error = new StringWriter();
        new StderrLogger(error).LogWarning("{File}: {Warning}", "scan.nii", "pixdim 0 read as 1");
        Assert.Equal("warning: scan.nii: pixdim 0 read as 1", error.ToString().Trim());
    }

    [Fact]
    public void ProgressBar_Redirected_PrintsPlainLinesAtEveryTenPercent()
    {
        var output = new StringWriter();
        var bar = new ConsoleProgressBar(output, "prepare", interactive: false);
        for (var i = 1; i <= 100; i++) bar.Update(i, 100);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.InRange(lines.Length, 10, 11);
        Assert.DoesNotContain('\r', output.ToString());
        Assert.StartsWith("prepare 100/100 (100", lines[^1]);
    }
}
