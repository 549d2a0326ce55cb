using System.Text.Json;

namespace MerlinAdapt.Reporting;

/// <summary>
/// gradcam.json: which scan, model and prompts were explained, the zero-shot score and decision, and where the heat
/// peaks — voxel (i, j, k) of the preprocessed grid and world position (RAS mm, the scan's own frame).
/// </summary>
public sealed record GradCamSummary
{
    public required string Scan { get; init; }

    public required string Model { get; init; }

    public string? Adapter { get; init; }

    public required string Prompts { get; init; }

    public required string PositiveClass { get; init; }

    /// <summary>Positive-class mean similarity − the best other class's: the quantity GradCAM differentiates.</summary>
    public required double Score { get; init; }

    public required string Predicted { get; init; }

    public required IReadOnlyDictionary<string, double> Similarities { get; init; }

    /// <summary>True when no voxel carries positive evidence: the heatmap is all zeros and the "peak" is the grid's centre.</summary>
    public required bool Flat { get; init; }

    public required int[] PeakVoxel { get; init; }

    public required double[] PeakMm { get; init; }

    /// <summary>The preprocessed grid (X, Y, Z) the heatmap shares.</summary>
    public required int[] Grid { get; init; }

    /// <summary>The layer4 map's grid (D, H, W) = (Z, X, Y): GradCAM's true resolution.</summary>
    public required int[] Layer4Grid { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json.Options);
}
