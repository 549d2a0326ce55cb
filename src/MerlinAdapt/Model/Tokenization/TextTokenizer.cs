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
        ArgumentException.ThrowIfNullOrEmpty(tokenizerJsonPath);
        var path = tokenizerJsonPath;
        if (Directory.Exists(path)) throw new InputException(path, "is a folder; give the tokenizer.json file in it");
        if (!File.Exists(path)) throw new InputException(path, "tokenizer file not found");

        JsonObject root;
        try
        {
            root = JsonNode.Parse(File.ReadAllBytes(path)) as JsonObject
                ?? throw new InputException(path, "not a Hugging Face tokenizer.json: the JSON is not an object");
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not a Hugging Face tokenizer.json: invalid JSON ({OneLine(e.Message)})", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InputException(path, $"cannot read the tokenizer file: {OneLine(e.Message)}", e);
        }
        if (root["model"] is not JsonObject model)
            throw new InputException(path, "not a Hugging Face tokenizer.json: it has no \"model\" object (vocab.json and merges.txt alone are not enough)");

        var addedTokens = root["added_tokens"] as JsonArray ?? [];
        var padId = PadIdOf(addedTokens, root["padding"]);
        var vocabularySize = VocabularySizeOf(model, addedTokens);

        var native = OpenNative(path, root);
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

    private static Tokenizer OpenNative(string path, JsonObject root)
    {
        // transformers overrides the file's truncation and padding on every call; the binding cannot, so it reads a
        // copy without them.
        var overridden = root["truncation"] is not null || root["padding"] is not null;
        var nativePath = path;
        if (overridden)
        {
            root["truncation"] = null;
            root["padding"] = null;
            nativePath = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"merlin-tokenizer-{Guid.NewGuid():N}.json");
            File.WriteAllText(nativePath, root.ToJsonString());
        }
        try
        {
            return new Tokenizer(nativePath);
        }
        catch (TokenizerException e)
        {
            throw new InputException(path, $"Hugging Face tokenizers cannot read it: {OneLine(e.Message)}", e);
        }
        finally
        {
            if (overridden) File.Delete(nativePath);
        }
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
