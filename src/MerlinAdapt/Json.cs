using System.Text.Json;

namespace MerlinAdapt;

/// <summary>JSON on disk: snake_case keys (as Hugging Face and peft configs), indented for people.</summary>
public static class Json
{
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
    };
}
