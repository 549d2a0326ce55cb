namespace MerlinAdapt.Analysis;

/// <summary>
/// Progress of the demo: the stage, and either a finished line worth printing (<see cref="Line"/>) or how far the
/// stage's work has got (<see cref="Done"/> of <see cref="Total"/>, with a short <see cref="Detail"/>).
/// </summary>
public sealed record DemoProgress(string Stage)
{
    public string? Line { get; init; }
    public int Done { get; init; }
    public int Total { get; init; }
    public string? Detail { get; init; }
}
