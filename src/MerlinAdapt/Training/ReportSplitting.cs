namespace MerlinAdapt.Training;

/// <summary>
/// Merlin's report splitting (merlin-model.md §5: the released model was trained with it; the authors' data code keeps
/// the full findings plus 13 organ-system sections and a <c>probability_full_report</c>): at each step a pair's text is
/// its usual view with probability p, otherwise one of its organ sections, chosen uniformly. Short organ statements
/// ("Liver and biliary tree: no focal lesion.") teach the text tower the kind of sentence zero-shot prompts are.
/// The draw depends only on the seed, the step and the study, so a resumed run draws the same texts.
/// </summary>
public static class ReportSplitting
{
    /// <param name="usual">The text the step would use without splitting (the full report or the anatomy view).</param>
    public static string Text(TrainingPair pair, string usual, double fullReportProbability, int seed, long step)
    {
        if (pair.Sections is not { Count: > 0 } sections) return usual;
        var random = new Random(StableSeed(pair.StudyId, seed, step));
        if (random.NextDouble() < fullReportProbability) return usual;
        return sections[random.Next(sections.Count)];
    }

    /// <summary>FNV-1a of the study id, mixed with seed and step: string.GetHashCode differs from process to process.</summary>
    private static int StableSeed(string studyId, int seed, long step)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in studyId)
        {
            hash ^= c;
            hash *= 1099511628211UL;
        }
        hash ^= unchecked((ulong)seed * 0x9E3779B97F4A7C15UL) ^ unchecked((ulong)step * 0xC2B2AE3D27D4EB4FUL);
        return (int)(hash ^ (hash >> 32));
    }
}
