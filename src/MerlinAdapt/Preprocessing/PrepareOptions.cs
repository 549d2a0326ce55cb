using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>Settings of a `prepare` run.</summary>
public sealed record PrepareOptions
{
    public PreprocessingOptions Preprocessing { get; init; } = new();

    /// <summary>How the scans are loaded; one 3-D volume per scan is always required.</summary>
    public VolumeLoadOptions Load { get; init; } = new();

    /// <summary>Scans processed at once. Each also uses several threads internally; 2 suits a laptop.</summary>
    public int Jobs { get; init; } = Math.Max(1, Math.Min(4, Environment.ProcessorCount / 2));
}
