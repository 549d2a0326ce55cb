namespace MerlinAdapt.Training;

/// <summary>config.json of a run folder: everything needed to reproduce or resume it.</summary>
public sealed record RunConfig
{
    public required TrainingOptions Options { get; init; }

    /// <summary>The base model folder (for a preset, the run's own `base/` with the seeded initial weights).</summary>
    public required string BaseModel { get; init; }

    public required string BaseModelHash { get; init; }

    public required string Manifest { get; init; }

    public string? Cache { get; init; }

    public string? Reports { get; init; }

    /// <summary>Phenotype labels (study_id,CODE…) for the image classifier head; used when Options.PhenotypeWeight > 0.</summary>
    public string? Phenotypes { get; init; }

    public string Device { get; init; } = "cpu";

    public int Threads { get; init; }

    public string Version { get; init; } = typeof(RunConfig).Assembly.GetName().Version?.ToString() ?? "";

    public DateTimeOffset Created { get; init; } = DateTimeOffset.UtcNow;
}
