using MerlinAdapt.Tests.Reporting;

namespace MerlinAdapt.Tests.Cli;

public sealed class ReportCommandTests
{
    [Fact]
    public void Report_WritesTheFolderReport_AndPrintsItsPath()
    {
        using var temp = new TempDirectory();
        var run = SampleRunFolder.Write(temp.Path);

        var (code, output, error) = CliRunner.Run("report", run, "--title", "Sample <run>");

        Assert.Equal(0, code);
        Assert.Equal("", error);
        Assert.Equal(Path.Combine(run, "report.html") + Environment.NewLine, output);
        Assert.Contains("<h1>Sample &lt;run&gt;</h1>", File.ReadAllText(Path.Combine(run, "report.html")));
    }

    [Fact]
    public void Report_MissingOrEmptyFolder_ExitsOneWithOneLine()
    {
        using var temp = new TempDirectory();

        var missing = CliRunner.Run("report", temp.File("nope"));
        var empty = CliRunner.Run("report", temp.Path);

        Assert.Equal(1, missing.Code);
        Assert.Equal($"merlin-adapt: {temp.File("nope")}: folder not found{Environment.NewLine}", missing.Err);
        Assert.Equal(1, empty.Code);
        Assert.StartsWith($"merlin-adapt: {temp.Path}: nothing to report", empty.Err);
        Assert.Single(empty.Err.TrimEnd().Split('\n'));
    }
}
