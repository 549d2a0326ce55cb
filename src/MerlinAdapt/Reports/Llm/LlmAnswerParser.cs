using System.Text.Json;
using System.Text.RegularExpressions;

namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// Checks the model's answers against the keys the prompts ask for, and turns them into sections and organ texts.
/// Lenient where models commonly stray harmlessly (a &lt;think&gt; block, a ```json fence, "Liver and biliary tree" for
/// "liver", a list of sentences for a string), strict where the structure is wrong (missing or unknown keys, numbers,
/// nesting). Section text is normalised like the rules' (<see cref="SentenceSplitter.Normalize"/>).
/// </summary>
internal static class LlmAnswerParser
{
    private static readonly string[] SectionKeys = ["clinical_information", "findings", "impression"];

    private static readonly Regex Thinking = new(@"<think>.*?</think>", RegexOptions.Singleline | RegexOptions.CultureInvariant);

    public static ReportSections Sections(string answer)
    {
        var root = Object(answer);
        var values = Fields(root, "the sections answer", key => SectionKeys.Contains(key) ? key : null);
        foreach (var key in SectionKeys)
            if (!values.ContainsKey(key)) throw Invalid($"the sections answer lacks the key \"{key}\"");
        return new ReportSections(
            SentenceSplitter.Normalize(values["clinical_information"]),
            SentenceSplitter.Normalize(values["findings"]),
            SentenceSplitter.Normalize(values["impression"]));
    }

    public static (SectionAnatomy Findings, SectionAnatomy Impression) Anatomy(string answer)
    {
        var root = Object(answer);
        SectionAnatomy? findings = null, impression = null;
        foreach (var property in root.EnumerateObject())
        {
            var key = Key(property.Name);
            if (key is not ("findings" or "impression")) throw Invalid("the organ answer has an unexpected key");
            var section = property.Value.ValueKind switch
            {
                JsonValueKind.Object => Section(property.Value, key),
                JsonValueKind.Null => SectionAnatomy.Empty,
                _ => throw Invalid($"the organ answer's \"{key}\" is not an object"),
            };
            if (key == "findings") findings = section;
            else impression = section;
        }
        if (findings is null) throw Invalid("the organ answer lacks the key \"findings\"");
        if (impression is null) throw Invalid("the organ answer lacks the key \"impression\"");
        return (findings, impression);
    }

    private static SectionAnatomy Section(JsonElement section, string name)
    {
        var values = Fields(section, $"the organ answer's \"{name}\"", key => key == "other" ? key : OrganSystems.FromName(key)?.Key);
        var organs = OrganSystems.Keys
            .Where(k => values.TryGetValue(k, out var text) && text.Trim().Length > 0)
            .ToDictionary(k => k, k => SentenceSplitter.Normalize(values[k]));
        return new SectionAnatomy(organs, SentenceSplitter.Normalize(values.GetValueOrDefault("other", "")));
    }

    /// <summary>The object's text fields under their canonical keys; repeated keys (after mapping) are joined.</summary>
    private static Dictionary<string, string> Fields(JsonElement element, string what, Func<string, string?> canonical)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in element.EnumerateObject())
        {
            var key = canonical(Key(property.Name))
                ?? throw Invalid($"{what} has an unexpected key"); // not quoted: a stray key may be report text
            var text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString()!,
                JsonValueKind.Null => "",
                JsonValueKind.Array when property.Value.EnumerateArray().All(v => v.ValueKind == JsonValueKind.String) =>
                    string.Join(' ', property.Value.EnumerateArray().Select(v => v.GetString())),
                _ => throw Invalid($"{what}'s \"{key}\" is not text"),
            };
            values[key] = values.TryGetValue(key, out var before) ? $"{before} {text}" : text;
        }
        return values;
    }

    private static JsonElement Object(string answer)
    {
        var text = Thinking.Replace(answer, "");
        var start = text.IndexOf('{');
        var end = text.LastIndexOf('}');
        if (start < 0 || end < start) throw Invalid("the answer holds no JSON object");
        try
        {
            using var document = JsonDocument.Parse(text[start..(end + 1)]);
            return document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw Invalid("the answer is not valid JSON");
        }
    }

    private static string Key(string name) => name.Trim().ToLowerInvariant().Replace(' ', '_');

    private static LlmFailureException Invalid(string reason) => new(reason, endpointFailed: false);
}
