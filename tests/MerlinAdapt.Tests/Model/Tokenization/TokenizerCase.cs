using System.Text.Json;

namespace MerlinAdapt.Tests.Model.Tokenization;

/// <summary>One line of fixtures/tokenizer/cases.jsonl: a text, Merlin's sanitised form, and Hugging Face's ids for both.</summary>
public sealed record TokenizerCase(string Id, string Raw, string Sanitized, int[] IdsRaw, int[] IdsSanitized, int[] IdsSanitizedTrunc1024)
{
    public static string TokenizerJson => Fixtures.Path("tokenizer/tokenizer.json");

    public static IReadOnlyList<TokenizerCase> LoadAll() =>
        File.ReadLines(Fixtures.Path("tokenizer/cases.jsonl"))
            .Where(line => line.Length > 0)
            .Select(line =>
            {
                using var document = JsonDocument.Parse(line);
                var e = document.RootElement;
                return new TokenizerCase(e.GetProperty("id").GetString()!, e.GetProperty("raw").GetString()!,
                    e.GetProperty("sanitized").GetString()!, e.GetProperty("ids_raw").Ints(),
                    e.GetProperty("ids_sanitized").Ints(), e.GetProperty("ids_sanitized_trunc1024").Ints());
            })
            .ToList();
}
