namespace MerlinAdapt.Training;

/// <summary>Cosine decay from each group's base rate to zero over the run, stepped per optimiser step.</summary>
public static class CosineSchedule
{
    public static double Factor(long step, long totalSteps) =>
        totalSteps <= 0 ? 1 : 0.5 * (1 + Math.Cos(Math.PI * Math.Min(step, totalSteps) / totalSteps));
}
