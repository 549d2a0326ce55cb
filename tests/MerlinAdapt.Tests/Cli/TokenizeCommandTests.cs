using System.Text.Json;

namespace MerlinAdapt.Tests.Cli;

public sealed class TokenizeCommandTests
{
    [Theory]
    [InlineData("s01")]
    [InlineData("s42")]
    [InlineData("s44")]
    public void Tokenize_PrintsExactlyTheReferenceIds(string caseId)
    {
        var line = File.ReadLines(Fixtures.Path("tokenizer/cases.jsonl")).Single(l => l.Contains($"\"id\": \"{caseId}\"") || l.Contains($"\"id\":\"{caseId}\""));
        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        var tokenizer = Fixtures.Path("tokenizer/tokenizer.json");

        var raw = CliRunner.Run("tokenize", "--tokenizer", tokenizer, "--text", root.GetProperty("raw").GetString()!);
        var sanitized = CliRunner.Run("tokenize", "--tokenizer", tokenizer, "--sanitize", "--max-length", "1024", "--text", root.GetProperty("raw").GetString()!);

        Assert.Equal(0, raw.Code);
        Assert.Equal(string.Join(' ', root.GetProperty("ids_raw").EnumerateArray().Select(e => e.GetInt32())) + Environment.NewLine, raw.Out);
        Assert.Equal(string.Join(' ', root.GetProperty("ids_sanitized_trunc1024").EnumerateArray().Select(e => e.GetInt32())) + Environment.NewLine, sanitized.Out);
    }

    [Fact]
    public void Tokenize_MissingTokenizer_IsOneLineError()
    {
        var (code, output, error) = CliRunner.Run("tokenize", "--tokenizer", "/nonexistent/tokenizer.json", "--text", "liver");
        Assert.Equal(1, code);
        Assert.Equal("", output);
        Assert.StartsWith("merlin-adapt: /nonexistent/tokenizer.json: ", error);
    }
}
