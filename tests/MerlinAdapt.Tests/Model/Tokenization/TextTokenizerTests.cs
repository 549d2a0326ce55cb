using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerlinAdapt.Model.Tokenization;

namespace MerlinAdapt.Tests.Model.Tokenization;

public sealed class TextTokenizerTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>
    /// Every line of cases.jsonl against Hugging Face's ids: <c>tokenizer(raw)</c>, <c>tokenizer(sanitized)</c> and
    /// <c>tokenizer(sanitized, truncation=True, max_length=1024)</c>. All mismatches are reported, by case id.
    /// </summary>
    [Theory]
    [InlineData("ids_raw")]
    [InlineData("ids_sanitized")]
    [InlineData("ids_sanitized_trunc1024")]
    public void Encode_MatchesHuggingFace_OnEveryCase(string field)
    {
        var cases = TokenizerCase.LoadAll();
        Assert.Equal(44, cases.Count);
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        var failures = new List<string>();
        foreach (var c in cases)
        {
            var (expected, actual) = field switch
            {
                "ids_raw" => (c.IdsRaw, tokenizer.Encode(c.Raw)),
                "ids_sanitized" => (c.IdsSanitized, tokenizer.Encode(c.Sanitized)),
                _ => (c.IdsSanitizedTrunc1024, tokenizer.Encode(c.Sanitized, 1024)),
            };
            if (Mismatch(expected, actual) is { } problem) failures.Add($"{c.Id}: {problem}");
        }
        Assert.True(failures.Count == 0, $"{failures.Count} of {cases.Count} cases differ in {field}:\n" + string.Join("\n", failures));
    }

    /// <summary>Hugging Face's rule, applied to the fixture's untruncated ids: the first and last id stay, the content tail goes.</summary>
    [Theory]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(10)]
    [InlineData(1023)]
    [InlineData(1024)]
    [InlineData(1905 + 2)]
    [InlineData(5000)]
    public void Encode_WithMaxLength_KeepsSpecialTokensAndCutsTheContentTail(int maxLength)
    {
        var longest = TokenizerCase.LoadAll().Single(c => c.Id == "s42"); // 1905 content tokens
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        var full = longest.IdsSanitized;
        var expected = full.Length <= maxLength ? full : [full[0], .. full[1..(maxLength - 1)], full[^1]];

        Assert.Equal(expected, tokenizer.Encode(longest.Sanitized, maxLength));
    }

    [Fact]
    public void Encode_MaxLengthBelowTheSpecialTokens_Throws()
    {
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        Assert.Throws<ArgumentOutOfRangeException>(() => tokenizer.Encode("liver", 1));
    }

    [Fact]
    public void Encode_LoneSurrogate_ThrowsArgumentException()
    {
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        Assert.Throws<ArgumentException>(() => tokenizer.Encode("liver \ud800"));
    }

    /// <summary>batch_hcc_prompts.json: the six HCC prompts, sanitised, padded to the longest with &lt;pad&gt; and masked.</summary>
    [Fact]
    public void EncodeBatch_MatchesHuggingFace_OnHccPrompts()
    {
        var batch = Fixtures.Json("tokenizer/batch_hcc_prompts.json");
        var texts = batch.GetProperty("texts").EnumerateArray().Select(t => t.GetString()!).ToList();
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);

        var encoded = tokenizer.EncodeBatch(texts);

        AssertMatrix(batch.GetProperty("input_ids"), encoded.Ids);
        AssertMatrix(batch.GetProperty("attention_mask"), encoded.AttentionMask);
        Assert.Equal(texts.Count, encoded.Count);
    }

    [Fact]
    public void EncodeBatch_WithoutSanitizing_EncodesTheTextsAsGiven()
    {
        var cases = TokenizerCase.LoadAll().Where(c => c.Id is "s01" or "s32" or "s38").ToList();
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);

        var encoded = tokenizer.EncodeBatch(cases.Select(c => c.Raw).ToList(), sanitize: false);

        for (var i = 0; i < cases.Count; i++) Assert.Equal(cases[i].IdsRaw.Select(id => (long)id), encoded.Row(i));
    }

    [Fact]
    public void EncodeBatch_Empty_GivesAnEmptyBatch()
    {
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        var encoded = tokenizer.EncodeBatch([]);
        Assert.Equal(0, encoded.Count);
        Assert.Equal(0, encoded.SequenceLength);
    }

    /// <summary>PadId, VocabularySize and the special-token count come from the file (provenance.json states them).</summary>
    [Fact]
    public void Load_ReadsPadIdVocabularySizeAndSpecials()
    {
        var provenance = Fixtures.Json("tokenizer/provenance.json");
        var mapping = provenance.GetProperty("id_mapping");
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);

        Assert.Equal(mapping.GetProperty("<pad>").GetInt32(), tokenizer.PadId);
        Assert.Equal(provenance.GetProperty("vocab_size").GetInt32(), tokenizer.VocabularySize);
        Assert.Equal(2, tokenizer.SpecialTokenCount);
        Assert.Equal([mapping.GetProperty("<s>").GetInt32(), mapping.GetProperty("</s>").GetInt32()], tokenizer.Encode(""));
    }

    /// <summary>
    /// transformers overrides a tokenizer.json's own truncation and padding on every call; the Rust library alone
    /// would apply them (here: cut to 8 ids and pad to 20).
    /// </summary>
    [Fact]
    public void Load_IgnoresTheFilesTruncationAndPadding()
    {
        var path = WriteModifiedTokenizer("with-truncation.json", root =>
        {
            root["truncation"] = JsonNode.Parse("""{"direction":"Right","max_length":8,"strategy":"LongestFirst","stride":0}""");
            root["padding"] = JsonNode.Parse("""{"strategy":{"Fixed":20},"direction":"Right","pad_to_multiple_of":null,"pad_id":1,"pad_type_id":0,"pad_token":"<pad>"}""");
        });
        var longCase = TokenizerCase.LoadAll().Single(c => c.Id == "s41");
        using var tokenizer = TextTokenizer.Load(path);

        Assert.Equal(longCase.IdsSanitized, tokenizer.Encode(longCase.Sanitized));
        Assert.Equal([0, 2], tokenizer.Encode(""));
    }

    [Fact]
    public void PadId_WithoutPadToken_FallsBackToPaddingConfigThenOne()
    {
        static void DropPadToken(JsonObject root)
        {
            var added = root["added_tokens"]!.AsArray();
            added.Remove(added.Single(t => (string?)t!["content"] == "<pad>"));
        }
        var withPadding = WriteModifiedTokenizer("padding.json", root =>
        {
            DropPadToken(root);
            root["padding"] = JsonNode.Parse("""{"strategy":"BatchLongest","direction":"Right","pad_to_multiple_of":null,"pad_id":7,"pad_type_id":0,"pad_token":"x"}""");
        });
        var without = WriteModifiedTokenizer("none.json", DropPadToken);

        using (var tokenizer = TextTokenizer.Load(withPadding)) Assert.Equal(7, tokenizer.PadId);
        using (var tokenizer = TextTokenizer.Load(without)) Assert.Equal(1, tokenizer.PadId);
    }

    [Fact]
    public void Load_MissingFile_NamesIt()
    {
        var path = _temp.File("absent/tokenizer.json");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.Load(path)), path, "not found");
    }

    [Fact]
    public void Load_NotJson_NamesIt()
    {
        var path = Fixtures.Path("tokenizer/merges.txt");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.Load(path)), path, "invalid JSON");
    }

    [Fact]
    public void Load_JsonWithoutModel_NamesIt()
    {
        var path = Fixtures.Path("tokenizer/vocab.json");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.Load(path)), path, "no \"model\"");
    }

    [Fact]
    public void Load_ModelTheLibraryCannotRead_NamesIt()
    {
        var path = _temp.File("tokenizer.json");
        File.WriteAllText(path, """{"version":"1.0","model":{"type":"NoSuchModel"}}""");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.Load(path)), path, "cannot read it");
    }

    /// <summary>vocab.json + merges.txt (the same model as tokenizer.json) give Hugging Face's ids for every case.</summary>
    [Fact]
    public void LoadVocabAndMerges_MatchesHuggingFace_OnEveryCase()
    {
        var cases = TokenizerCase.LoadAll();
        using var tokenizer = TextTokenizer.LoadVocabAndMerges(Fixtures.Path("tokenizer/vocab.json"), Fixtures.Path("tokenizer/merges.txt"));
        using var reference = TextTokenizer.Load(TokenizerCase.TokenizerJson);

        var failures = new List<string>();
        foreach (var c in cases)
        {
            if (Mismatch(c.IdsRaw, tokenizer.Encode(c.Raw)) is { } raw) failures.Add($"{c.Id} raw: {raw}");
            if (Mismatch(c.IdsSanitizedTrunc1024, tokenizer.Encode(c.Sanitized, 1024)) is { } truncated) failures.Add($"{c.Id} sanitized, 1024: {truncated}");
        }
        Assert.True(failures.Count == 0, string.Join("\n", failures));
        Assert.Equal(reference.PadId, tokenizer.PadId);
        Assert.Equal(reference.VocabularySize, tokenizer.VocabularySize);
        Assert.Equal(reference.SpecialTokenCount, tokenizer.SpecialTokenCount);
    }

    [Fact]
    public void LoadVocabAndMerges_BadFiles_NameThem()
    {
        var vocab = Fixtures.Path("tokenizer/vocab.json");
        var merges = Fixtures.Path("tokenizer/merges.txt");
        var absent = _temp.File("absent.txt");
        var headerless = _temp.File("headerless.txt");
        File.WriteAllText(headerless, "Ġ t\nĠ a\n");
        var triple = _temp.File("triple.txt");
        File.WriteAllText(triple, "#version: 0.2\nĠ t\nĠ a x\n");
        var noSpecials = _temp.File("vocab.json");
        File.WriteAllText(noSpecials, """{"a": 0, "b": 1}""");

        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.LoadVocabAndMerges(vocab, absent)), absent, "not found");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.LoadVocabAndMerges(vocab, headerless)), headerless, "#version");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.LoadVocabAndMerges(vocab, triple)), triple, "line 3");
        AssertNames(Assert.Throws<InputException>(() => TextTokenizer.LoadVocabAndMerges(noSpecials, merges)), noSpecials, "no <s> token");
    }

    [Fact]
    public void Encode_FromSeveralThreads_GivesTheSameIds()
    {
        var cases = TokenizerCase.LoadAll();
        using var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        var results = new ConcurrentBag<(int Index, int[] Ids)>();

        Parallel.For(0, cases.Count * 8, new ParallelOptions { MaxDegreeOfParallelism = 8 },
            i => results.Add((i % cases.Count, tokenizer.Encode(cases[i % cases.Count].Sanitized))));

        Assert.Equal(cases.Count * 8, results.Count);
        Assert.All(results, r => Assert.Equal(cases[r.Index].IdsSanitized, r.Ids));
    }

    [Fact]
    public void Encode_AfterDispose_Throws()
    {
        var tokenizer = TextTokenizer.Load(TokenizerCase.TokenizerJson);
        tokenizer.Dispose();
        tokenizer.Dispose();
        Assert.Throws<ObjectDisposedException>(() => tokenizer.Encode("liver"));
    }

    private string WriteModifiedTokenizer(string name, Action<JsonObject> change)
    {
        var root = JsonNode.Parse(File.ReadAllText(TokenizerCase.TokenizerJson))!.AsObject();
        change(root);
        var path = _temp.File(name);
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }

    private static void AssertNames(InputException e, string path, string problem)
    {
        Assert.Equal(path, e.Path);
        Assert.Contains(problem, e.Message);
        Assert.DoesNotContain('\n', e.Message);
    }

    private static string? Mismatch(int[] expected, int[] actual)
    {
        if (expected.AsSpan().SequenceEqual(actual)) return null;
        var at = 0;
        while (at < expected.Length && at < actual.Length && expected[at] == actual[at]) at++;
        return $"{actual.Length} ids, expected {expected.Length}; first difference at {at}: " +
               $"expected {(at < expected.Length ? expected[at] : "end")}, got {(at < actual.Length ? actual[at] : "end")}";
    }

    private static void AssertMatrix(JsonElement expected, long[,] actual)
    {
        var rows = expected.EnumerateArray().Select(r => r.EnumerateArray().Select(x => x.GetInt64()).ToArray()).ToList();
        Assert.Equal(rows.Count, actual.GetLength(0));
        for (var i = 0; i < rows.Count; i++)
        {
            Assert.Equal(rows[i].Length, actual.GetLength(1));
            for (var j = 0; j < rows[i].Length; j++) Assert.True(rows[i][j] == actual[i, j], $"[{i}, {j}]: expected {rows[i][j]}, got {actual[i, j]}");
        }
    }
}
