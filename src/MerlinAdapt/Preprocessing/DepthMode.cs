namespace MerlinAdapt.Preprocessing;

/// <summary>How the slice axis reaches the target depth.</summary>
public enum DepthMode
{
    /// <summary>Merlin's pipeline: symmetric zero padding, then centre crop (merlin-model.md §4).</summary>
    PadCrop,

    /// <summary>The paper's code: depth linearly resampled to exactly the target number of slices.</summary>
    Resample,
}
