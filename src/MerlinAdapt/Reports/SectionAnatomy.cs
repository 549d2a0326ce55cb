namespace MerlinAdapt.Reports;

/// <summary>
/// One section (Findings or Impression) decomposed by organ system: the text about each system mentioned, keyed by
/// <see cref="OrganSystem.Key"/> in Merlin's order, and the text that fits no system (<see cref="Other"/>), kept so
/// that decomposition loses no sentence.
/// </summary>
public sealed record SectionAnatomy(IReadOnlyDictionary<string, string> Organs, string Other)
{
    public static SectionAnatomy Empty { get; } = new(new Dictionary<string, string>(), "");
}
