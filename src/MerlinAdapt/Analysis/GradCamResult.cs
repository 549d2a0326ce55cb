using MerlinAdapt.Evaluation;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Analysis;

/// <summary>
/// What <see cref="GradCam"/> finds for one scan: the heatmap in [0, 1] on the input grid with the input's affine,
/// the zero-shot score it explains and the classifier's decision, the layer4 channel weights α_c and grid (D, H, W),
/// whether the map was flat (no positive evidence anywhere: all zeros), and the peak voxel (i, j, k) with its world
/// position (RAS mm) — for a flat map, the grid's centre.
/// </summary>
public sealed record GradCamResult(
    Volume Heatmap,
    double Score,
    ZeroShotResult Prediction,
    float[] ChannelWeights,
    int[] Layer4Grid,
    bool Flat,
    int[] PeakVoxel,
    (double X, double Y, double Z) PeakWorld);
