using MerlinAdapt.Volumes;

namespace MerlinAdapt.Preprocessing;

/// <summary>
/// Merlin's image pipeline, exactly as MONAI computes it: RAS orientation → spacing (trilinear) → HU window to 0..1 →
/// symmetric zero pad → centre crop (or, with <see cref="DepthMode.Resample"/>, the paper's code's variant: pad X/Y,
/// resample Z to the target depth, crop X/Y). Input: HU volume (any orientation, any channels). Output: (X, Y, Z) =
/// (R, A, S) float32 in [0, 1] with its affine. Every caller — `preprocess`, `prepare`, training — goes through here.
/// </summary>
public sealed class CtPreprocessor
{
    private readonly PreprocessingOptions _options;
    private readonly SpacingResampler _spacing;
    private readonly IntensityWindow _window;

    public CtPreprocessor(PreprocessingOptions? options = null)
    {
        _options = options ?? new PreprocessingOptions();
        _options.Validate();
        _spacing = new SpacingResampler(_options.Spacing);
        _window = new IntensityWindow(_options.HuMin, _options.HuMax);
    }

    public PreprocessingOptions Options => _options;

    /// <param name="observe">Called with the volume after each stage (tests compare them with MONAI's stage outputs).</param>
    public Volume Process(Volume volume, Action<PreprocessingStage, Volume>? observe = null)
    {
        var oriented = RasOrientation.Apply(volume);
        observe?.Invoke(PreprocessingStage.Orientation, oriented);
        var resampled = _spacing.Apply(oriented);
        observe?.Invoke(PreprocessingStage.Spacing, resampled);
        var scaled = _window.Apply(resampled);
        var size = _options.Size;
        Volume result;
        if (_options.Depth == DepthMode.PadCrop)
        {
            var padded = new SpatialPad(size).Apply(scaled);
            result = new CenterSpatialCrop(size).Apply(padded);
        }
        else
        {
            int[] inPlane = [size[0], size[1], 0];
            var padded = new SpatialPad(inPlane).Apply(scaled);
            var deep = new DepthResampler(size[2]).Apply(padded);
            result = new CenterSpatialCrop(inPlane).Apply(deep);
        }
        observe?.Invoke(PreprocessingStage.Final, result);
        return result;
    }
}
