using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// Zero-shot prompts (design.md, Formats): class name → prompts, and which class is positive. Class names match the
/// manifest's `label` values. Built in: `hcc` (the paper's code's three positive and three negative prompts,
/// hcc-merlin-reference.md §2.7) and `vertebral-fracture` (for an external check like the paper's VerSe evaluation).
/// </summary>
public sealed record PromptSet
{
    public required string Name { get; init; }

    public required string Positive { get; init; }

    public required Dictionary<string, string[]> Classes { get; init; }

    [JsonIgnore]
    public IReadOnlyList<string> ClassNames => Classes.Keys.ToList();

    [JsonIgnore]
    public bool IsBinary => Classes.Count == 2;

    [JsonIgnore]
    public string Negative => IsBinary ? Classes.Keys.First(k => k != Positive) : throw new InvalidOperationException($"prompt set {Name} has {Classes.Count} classes");

    public static IReadOnlyList<string> BuiltIn { get; } = ["hcc", "vertebral-fracture"];

    /// <summary>A built-in set by name, or a JSON file.</summary>
    public static PromptSet Load(string nameOrPath)
    {
        if (BuiltIn.Contains(nameOrPath))
        {
            using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"MerlinAdapt.Evaluation.Prompts.{nameOrPath}.json")!;
            using var reader = new StreamReader(stream);
            return Parse(reader.ReadToEnd(), nameOrPath);
        }
        if (!File.Exists(nameOrPath))
            throw new InputException(nameOrPath, $"not a built-in prompt set ({string.Join(", ", BuiltIn)}) nor a file");
        return Parse(File.ReadAllText(nameOrPath), nameOrPath);
    }

    public static PromptSet Parse(string json, string source)
    {
        PromptSet? set;
        try { set = JsonSerializer.Deserialize<PromptSet>(json, Json.Options); }
        catch (JsonException e) { throw new InputException(source, $"not a valid prompt set ({e.Message.Split('\n')[0]})"); }
        if (set is null || set.Classes is null || set.Classes.Count < 2)
            throw new InputException(source, "a prompt set needs {\"name\", \"positive\", \"classes\": {class: [prompts]}} with at least two classes");
        if (!set.Classes.ContainsKey(set.Positive))
            throw new InputException(source, $"positive class \"{set.Positive}\" is not one of the classes ({string.Join(", ", set.Classes.Keys)})");
        if (set.Classes.Any(c => c.Value is null || c.Value.Length == 0 || c.Value.Any(string.IsNullOrWhiteSpace)))
            throw new InputException(source, "every class needs at least one non-empty prompt");
        return set;
    }
}
