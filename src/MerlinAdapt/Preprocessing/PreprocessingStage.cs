namespace MerlinAdapt.Preprocessing;

/// <summary>The points in <see cref="CtPreprocessor"/> where intermediate volumes can be observed (the fixtures' stages).</summary>
public enum PreprocessingStage
{
    /// <summary>After loading, channel-first, reoriented to RAS (fixture "stage1_orientation").</summary>
    Orientation,

    /// <summary>After resampling to the target spacing, still in HU (fixture "stage2_spacing").</summary>
    Spacing,

    /// <summary>The model-ready volume.</summary>
    Final,
}
