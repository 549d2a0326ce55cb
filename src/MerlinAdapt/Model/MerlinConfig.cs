using System.Text.Json;
using System.Text.Json.Serialization;

namespace MerlinAdapt.Model;

/// <summary>
/// A model's architecture as data (model.json of a model folder): either tower may be absent (a checkpoint can hold
/// one tower only), plus the temperature convention and its initial value.
/// </summary>
public sealed record MerlinConfig
{
    public string Preset { get; init; } = "custom";

    public ImageEncoderConfig? Image { get; init; }

    public TextEncoderConfig? Text { get; init; }

    [JsonConverter(typeof(JsonStringEnumConverter<TemperatureParameterization>))]
    public TemperatureParameterization TemperatureParameterization { get; init; } = TemperatureParameterization.Log;

    /// <summary>Initial `logit_scale` (= −ln τ). Merlin initialises it to 1.0 (τ = e⁻¹ ≈ 0.37).</summary>
    public double LogitScaleInit { get; init; } = 1.0;

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);

    public static MerlinConfig FromJson(string json, string path)
    {
        try
        {
            return JsonSerializer.Deserialize<MerlinConfig>(json, Json.Options) ?? throw new InputException(path, "model.json is empty");
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not a valid model.json ({e.Message.Split('\n')[0]})");
        }
    }
}
