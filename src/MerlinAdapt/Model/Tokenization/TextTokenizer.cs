using System.Text.Json;
using System.Text.Json.Nodes;
using MerlinAdapt.Reports;
using Tokenizers.DotNet;

namespace MerlinAdapt.Model.Tokenization;

/// <summary>
/// The text encoder's tokenizer: any Hugging Face <c>tokenizer.json</c> (Clinical-Longformer's is RoBERTa's
/// byte-level BPE), run by Hugging Face's own Rust <c>tokenizers</c> through Tokenizers.DotNet, so ids equal
/// Python's (fixtures/tokenizer/README.md: 59 of 59 texts). Adds what that binding lacks: Hugging Face's
/// truncation, batch padding, and Merlin's report sanitisation.
/// </summary>
/// <remarks>
/// Safe to use from several threads at once: the native library keeps each tokenizer in a map behind a
/// read-write lock, Rust's <c>Tokenizer::encode</c> takes a shared reference, and its last-error message is
/// thread-local. Calls after <see cref="Dispose"/> throw <see cref="ObjectDisposedException"/>.
/// </remarks>
public sealed class TextTokenizer : IDisposable
{
    /// <summary>Merlin's text encoder: <c>tokenizer(..., padding=True, truncation=True, max_length=1024)</c>.</summary>
    public const int MerlinMaxLength = 1024;

    private readonly Tokenizer _native;
    private readonly int _leadingSpecials;
    private volatile bool _disposed;

    private TextTokenizer(Tokenizer native, int padId, int vocabularySize, int leadingSpecials, int specialTokenCount)
    {
        _native = native;
        PadId = padId;
        VocabularySize = vocabularySize;
        _leadingSpecials = leadingSpecials;
        SpecialTokenCount = specialTokenCount;
    }

    /// <summary>The id that pads a batch: the <c>&lt;pad&gt;</c> added token, else the file's padding config, else 1 (RoBERTa's).</summary>
    public int PadId { get; }

    /// <summary>Largest id + 1 over the model's vocabulary and the added tokens (50265 for Clinical-Longformer).</summary>
    public int VocabularySize { get; }

    /// <summary>How many ids the file's post-processor adds around one text (2 for RoBERTa: <c>&lt;s&gt;</c> … <c>&lt;/s&gt;</c>).</summary>
    public int SpecialTokenCount { get; }

    /// <summary>
    /// Reads a Hugging Face <c>tokenizer.json</c>. Its own <c>truncation</c> and <c>padding</c> settings are
    /// ignored, as <c>transformers</c> ignores them: each call says whether to truncate, and batches pad to the
    /// longest text.
    /// </summary>
    /// <exception cref="InputException">The file is missing, is not a tokenizer.json, or the library cannot read it.</exception>
    public static TextTokenizer Load(string tokenizerJsonPath)
    {
        var root = ReadJsonObject(tokenizerJsonPath);
        if (root["model"] is not JsonObject)
            throw new InputException(tokenizerJsonPath, "not a Hugging Face tokenizer.json: it has no \"model\" object (a vocab.json goes with its merges.txt)");

        // transformers overrides the file's truncation and padding on every call; the binding cannot, so it reads a
        // copy without them.
        var overridden = root["truncation"] is not null || root["padding"] is not null;
        return Create(root, tokenizerJsonPath, writeCopy: overridden);
    }

    /// <summary>
    /// Reads a RoBERTa-family tokenizer from its two slow-tokenizer files (a Longformer repository may have no
    /// tokenizer.json), converted as <c>transformers</c>' RobertaConverter does: byte-level BPE without prefix
    /// space, RobertaProcessing with <c>&lt;s&gt;</c> and <c>&lt;/s&gt;</c>, and the five special tokens
    /// <c>&lt;s&gt; &lt;pad&gt; &lt;/s&gt; &lt;unk&gt; &lt;mask&gt;</c> taken from the vocabulary.
    /// </summary>
    /// <exception cref="InputException">A file is missing or malformed, or a special token is not in the vocabulary.</exception>
    public static TextTokenizer LoadVocabAndMerges(string vocabJsonPath, string mergesTxtPath)
    {
        var vocabulary = ReadJsonObject(vocabJsonPath);
        var merges = ReadMerges(mergesTxtPath);
        return Create(RobertaTokenizerJson(vocabulary, merges, vocabJsonPath), vocabJsonPath, writeCopy: true);
    }

    /// <summary>
    /// Token ids of <paramref name="text"/> with the special tokens the post-processor adds. With
    /// <paramref name="maxLength"/>, truncates as Hugging Face (<c>longest_first</c>, right side, stride 0): the
    /// special tokens stay and the text's last tokens go, e.g. <c>[&lt;s&gt;] + content[..maxLength-2] + [&lt;/s&gt;]</c>.
    /// </summary>
    public int[] Encode(string text, int? maxLength = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (maxLength is { } limit && limit < SpecialTokenCount)
            throw new ArgumentOutOfRangeException(nameof(maxLength), limit,
                $"must leave room for the {SpecialTokenCount} special tokens the tokenizer adds");
        var ids = EncodeNative(text);

        if (maxLength is not { } max || ids.Length <= max) return Array.ConvertAll(ids, id => (int)id);

        var trailing = SpecialTokenCount - _leadingSpecials;
        var result = new int[max];
        var head = max - trailing; // leading specials and the content that is kept
        for (var i = 0; i < head; i++) result[i] = (int)ids[i];
        for (var i = 0; i < trailing; i++) result[head + i] = (int)ids[ids.Length - trailing + i];
        return result;
    }

    /// <summary>
    /// What Merlin's text encoder feeds the model: each text sanitised (<see cref="ReportSanitizer"/>) when
    /// <paramref name="sanitize"/>, encoded and truncated to <paramref name="maxLength"/>, and right-padded with
    /// <see cref="PadId"/> to the longest text.
    /// </summary>
    public TokenBatch EncodeBatch(IReadOnlyList<string> texts, int maxLength = MerlinMaxLength, bool sanitize = true)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var rows = new int[texts.Count][];
        var width = 0;
        for (var i = 0; i < rows.Length; i++)
        {
            var text = texts[i] ?? throw new ArgumentException($"text {i} is null", nameof(texts));
            rows[i] = Encode(sanitize ? ReportSanitizer.Sanitize(text) : text, maxLength);
            width = Math.Max(width, rows[i].Length);
        }

        var ids = new long[rows.Length, width];
        var mask = new long[rows.Length, width];
        for (var i = 0; i < rows.Length; i++)
        {
            var row = rows[i];
            for (var j = 0; j < width; j++)
            {
                var real = j < row.Length;
                ids[i, j] = real ? row[j] : PadId;
                mask[i, j] = real ? 1 : 0;
            }
        }
        return new TokenBatch(ids, mask);
    }

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _native.Dispose();
    }

    private uint[] EncodeNative(string text)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            return _native.Encode(text);
        }
        catch (TokenizerException e)
        {
            // Rust strings are UTF-8: a lone surrogate (broken UTF-16) is the one text it cannot take.
            throw new ArgumentException($"the tokenizer cannot encode this text: {OneLine(e.Message)}", nameof(text), e);
        }
    }

    /// <summary>
    /// Where the post-processor puts its special tokens, found by encoding "" and "a" rather than by reading the
    /// post-processor's config, so that every kind (Roberta, Bert, Template, none) is handled alike.
    /// </summary>
    private static (int Leading, int Count) SpecialTokenLayout(Tokenizer native, string path)
    {
        var empty = native.Encode("");
        var probe = native.Encode("a");
        if (probe.Length > empty.Length)
        {
            for (var leading = empty.Length; leading >= 0; leading--)
            {
                var trailing = empty.Length - leading;
                if (probe.AsSpan(0, leading).SequenceEqual(empty.AsSpan(0, leading))
                    && probe.AsSpan(probe.Length - trailing).SequenceEqual(empty.AsSpan(leading)))
                    return (leading, empty.Length);
            }
        }
        throw new InputException(path, "its post-processor does not put special tokens only before and after the text, so truncation cannot keep them");
    }

    private static TextTokenizer Create(JsonObject root, string path, bool writeCopy)
    {
        var addedTokens = root["added_tokens"] as JsonArray ?? [];
        var padId = PadIdOf(addedTokens, root["padding"]);
        var vocabularySize = VocabularySizeOf((JsonObject)root["model"]!, addedTokens);
        root["truncation"] = null;
        root["padding"] = null;

        var native = OpenNative(path, writeCopy ? root : null);
        try
        {
            var (leading, count) = SpecialTokenLayout(native, path);
            return new TextTokenizer(native, padId, vocabularySize, leading, count);
        }
        catch
        {
            native.Dispose();
            throw;
        }
    }

    /// <summary>The binding only reads files: a changed or generated tokenizer goes through a temporary copy.</summary>
    private static Tokenizer OpenNative(string path, JsonObject? copy)
    {
        var nativePath = copy is null
            ? path
            : System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"merlin-tokenizer-{Guid.NewGuid():N}.json");
        try
        {
            if (copy is not null) File.WriteAllText(nativePath, copy.ToJsonString());
            return new Tokenizer(nativePath);
        }
        catch (TokenizerException e)
        {
            throw new InputException(path, $"Hugging Face tokenizers cannot read it: {OneLine(e.Message)}", e);
        }
        finally
        {
            if (copy is not null) File.Delete(nativePath);
        }
    }

    private static JsonObject ReadJsonObject(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (Directory.Exists(path)) throw new InputException(path, "is a folder; give the file in it");
        if (!File.Exists(path)) throw new InputException(path, "tokenizer file not found");
        try
        {
            return JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new InputException(path, "not a tokenizer file: the JSON is not an object");
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not a tokenizer file: invalid JSON ({OneLine(e.Message)})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, $"cannot read the tokenizer file: {OneLine(e.Message)}", e);
        }
    }

    /// <summary>
    /// merges.txt as the slow tokenizer reads it (<c>split("\n")[1:-1]</c>): the first line is the
    /// <c>#version</c> header and the last is what follows the final newline; each other line is one pair.
    /// </summary>
    private static JsonArray ReadMerges(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        if (!File.Exists(path)) throw new InputException(path, "merges file not found");
        string[] lines;
        try
        {
            lines = File.ReadAllText(path).Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, $"cannot read the merges file: {OneLine(e.Message)}", e);
        }
        if (lines.Length < 2 || !lines[0].StartsWith("#version", StringComparison.Ordinal))
            throw new InputException(path, "not a BPE merges.txt: it does not start with a \"#version\" line");

        var merges = new JsonArray();
        for (var i = 1; i < lines.Length - 1; i++)
        {
            var pair = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (pair.Length == 0) continue;
            if (pair.Length != 2) throw new InputException(path, $"line {i + 1} is not a pair of symbols");
            merges.Add($"{pair[0]} {pair[1]}");
        }
        return merges;
    }

    private static JsonObject RobertaTokenizerJson(JsonObject vocabulary, JsonArray merges, string vocabPath)
    {
        int IdOf(string token) => IntOf(vocabulary[token])
            ?? throw new InputException(vocabPath, $"the vocabulary has no {token} token, so it is not a RoBERTa-family vocab.json");
        JsonObject Special(string token, bool lstrip) => new()
        {
            ["id"] = IdOf(token), ["content"] = token, ["single_word"] = false, ["lstrip"] = lstrip,
            ["rstrip"] = false, ["normalized"] = !lstrip, ["special"] = true,
        };
        JsonObject ByteLevel(bool addPrefixSpace) => new()
        {
            ["type"] = "ByteLevel", ["add_prefix_space"] = addPrefixSpace, ["trim_offsets"] = true, ["use_regex"] = true,
        };

        // As roberta-base's tokenizer.json: <mask> also takes the spaces to its left.
        var addedTokens = new JsonArray(Special("<s>", false), Special("<pad>", false), Special("</s>", false),
            Special("<unk>", false), Special("<mask>", true));
        return new JsonObject
        {
            ["version"] = "1.0",
            ["truncation"] = null,
            ["padding"] = null,
            ["added_tokens"] = addedTokens,
            ["normalizer"] = null,
            ["pre_tokenizer"] = ByteLevel(addPrefixSpace: false),
            ["post_processor"] = new JsonObject
            {
                ["type"] = "RobertaProcessing",
                ["sep"] = new JsonArray("</s>", IdOf("</s>")),
                ["cls"] = new JsonArray("<s>", IdOf("<s>")),
                ["trim_offsets"] = true,
                ["add_prefix_space"] = false,
            },
            ["decoder"] = ByteLevel(addPrefixSpace: true),
            ["model"] = new JsonObject
            {
                ["type"] = "BPE", ["dropout"] = null, ["unk_token"] = null, ["continuing_subword_prefix"] = "",
                ["end_of_word_suffix"] = "", ["fuse_unk"] = false, ["byte_fallback"] = false, ["ignore_merges"] = false,
                ["vocab"] = vocabulary, ["merges"] = merges,
            },
        };
    }

    private static int PadIdOf(JsonArray addedTokens, JsonNode? padding)
    {
        foreach (var token in addedTokens)
            if (token?["content"] is JsonValue content && content.TryGetValue<string>(out var text) && text == "<pad>"
                && IntOf(token["id"]) is { } id)
                return id;
        return IntOf(padding?["pad_id"]) ?? 1;
    }

    private static int VocabularySizeOf(JsonObject model, JsonArray addedTokens)
    {
        var largest = -1;
        switch (model["vocab"])
        {
            case JsonObject vocabulary: // BPE, WordPiece, WordLevel: token → id
                foreach (var (_, id) in vocabulary) largest = Math.Max(largest, IntOf(id) ?? -1);
                break;
            case JsonArray pieces: // Unigram: [piece, score] pairs, the id is the position
                largest = pieces.Count - 1;
                break;
        }
        foreach (var token in addedTokens) largest = Math.Max(largest, IntOf(token?["id"]) ?? -1);
        return largest + 1;
    }

    private static int? IntOf(JsonNode? node) => node is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;

    private static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
