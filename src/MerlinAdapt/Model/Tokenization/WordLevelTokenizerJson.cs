using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using MerlinAdapt.Reports;

namespace MerlinAdapt.Model.Tokenization;

/// <summary>
/// Builds a Hugging Face <c>tokenizer.json</c> with a word-level vocabulary of given texts, for a model trained from
/// scratch on a small corpus (the <c>tiny</c> preset on a synthetic cohort): RoBERTa's special tokens
/// <c>&lt;s&gt;</c>=0, <c>&lt;pad&gt;</c>=1, <c>&lt;/s&gt;</c>=2, <c>&lt;unk&gt;</c>=3, a Whitespace pre-tokenizer
/// and RobertaProcessing, so <see cref="TextTokenizer"/> reads it like Clinical-Longformer's.
/// </summary>
/// <remarks>
/// The vocabulary is the pieces of the texts after <see cref="ReportSanitizer.Sanitize"/>: runs of word characters
/// and runs of other non-space characters — the same split as the Whitespace pre-tokenizer's <c>\w+|[^\w\s]+</c>, so
/// every sanitised text of the corpus encodes without <c>&lt;unk&gt;</c>. Ids after the specials follow ordinal order,
/// so the same texts always give the same file.
/// </remarks>
public static class WordLevelTokenizerJson
{
    public static readonly string[] SpecialTokens = ["<s>", "<pad>", "</s>", "<unk>"];

    public static string Build(IEnumerable<string> texts)
    {
        var words = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var text in texts)
            foreach (var piece in ReportSanitizer.Sanitize(text).Split(' ', StringSplitOptions.RemoveEmptyEntries))
                words.Add(piece);
        // Numbers a report of the same kind may use but this corpus happened not to.
        for (var n = 0; n < 100; n++) words.Add(n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        words.ExceptWith(SpecialTokens);

        var vocabulary = new JsonObject();
        var id = 0;
        foreach (var special in SpecialTokens) vocabulary[special] = id++;
        foreach (var word in words) vocabulary[word] = id++;

        var added = new JsonArray();
        for (var i = 0; i < SpecialTokens.Length; i++)
            added.Add(new JsonObject
            {
                ["id"] = i, ["content"] = SpecialTokens[i], ["single_word"] = false, ["lstrip"] = false,
                ["rstrip"] = false, ["normalized"] = false, ["special"] = true,
            });
        var root = new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = added,
            ["normalizer"] = null,
            ["pre_tokenizer"] = new JsonObject { ["type"] = "Whitespace" },
            ["post_processor"] = new JsonObject
            {
                ["type"] = "RobertaProcessing",
                ["sep"] = new JsonArray("</s>", 2),
                ["cls"] = new JsonArray("<s>", 0),
                ["trim_offsets"] = true,
                ["add_prefix_space"] = false,
            },
            ["decoder"] = null,
            ["model"] = new JsonObject { ["type"] = "WordLevel", ["vocab"] = vocabulary, ["unk_token"] = "<unk>" },
        };
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }
}
