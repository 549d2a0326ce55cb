using System.Text.Json;

namespace MerlinAdapt.Adaptation;

/// <summary>adapter.json: how the adapters were made and which base model they belong to (design.md, Formats).</summary>
public sealed record AdapterConfig
{
    public required string Mode { get; init; }

    public required LoraOptions Lora { get; init; }

    /// <summary>SHA-256 of the base model's weights.safetensors: adapters load onto that base only.</summary>
    public required string BaseModelHash { get; init; }

    public string BasePreset { get; init; } = "";

    /// <summary>Whether the adapter carries the image tower's BatchNorm statistics, recomputed on the target scans.</summary>
    public bool BatchNormStatistics { get; init; }

    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    public static AdapterConfig FromJson(string path)
    {
        try
        {
            return JsonSerializer.Deserialize<AdapterConfig>(File.ReadAllText(path), Json.Options) ?? throw new InputException(path, "adapter.json is empty");
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not a valid adapter.json ({e.Message.Split('\n')[0]})");
        }
    }
}
