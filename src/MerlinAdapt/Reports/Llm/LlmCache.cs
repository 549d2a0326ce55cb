using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// Validated answers on disk, one JSON file per (report, model, prompt version), so that a rerun, or a run
/// interrupted halfway, asks the model nothing it has answered before. The files hold report text, so the folder
/// deserves the same care as the reports themselves.
/// </summary>
public sealed class LlmCache(string directory)
{
    public string Directory { get; } = Path.GetFullPath(directory);

    /// <summary>The cache key: SHA-256 of the prompt version, the model name and the report text.</summary>
    public static string Key(string report, string model, string promptVersion) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"merlin-adapt report structuring\0{promptVersion}\0{model}\0{report}")));

    public LlmAnswer? TryGet(string key)
    {
        var path = PathOf(key);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonSerializer.Deserialize<LlmAnswer>(File.ReadAllText(path), Json.Options);
        }
        catch (Exception e) when (e is JsonException or IOException or NotSupportedException)
        {
            return null; // unreadable: ask again, and the new answer replaces it
        }
    }

    public void Put(string key, LlmAnswer answer) => AtomicFile.WriteAllText(PathOf(key), JsonSerializer.Serialize(answer, Json.Options));

    private string PathOf(string key) => Path.Combine(Directory, key[..2], key + ".json");
}
