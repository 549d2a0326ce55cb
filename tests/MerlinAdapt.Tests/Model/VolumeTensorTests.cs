using MerlinAdapt.Model;
using MerlinAdapt.Volumes;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model;

[Collection("sequential-torch")]
public sealed class VolumeTensorTests
{
    private static Volume Ramp(int nx, int ny, int nz) =>
        new(Enumerable.Range(0, nx * ny * nz).Select(i => (float)i).ToArray(), nx, ny, nz, Affine.Identity);

    [Fact]
    public void From_PutsXFirst_AsMerlinsLayout()
    {
        using var t = VolumeTensor.From(Ramp(4, 3, 2));

        Assert.Equal([1L, 1, 4, 3, 2], t.shape);
        // Voxel (i, j, k) is stored at (k * ny + j) * nx + i.
        Assert.Equal((1 * 3 + 2) * 4 + 3, t[0, 0, 3, 2, 1].ToSingle());
    }

    /// <summary>
    /// The native crash of the demo (README): a temporary tensor that nothing references any more can be finalised by
    /// the GC while native code still works on it, when no dispose scope holds it. Outside any scope, with another
    /// thread collecting all the time, building batches must give intact tensors every time.
    /// </summary>
    [Fact]
    public void Batch_OutsideAnyDisposeScope_SurvivesConstantGarbageCollection()
    {
        var volumes = Enumerable.Range(0, 4).Select(_ => Ramp(48, 40, 32)).ToList();
        var expected = volumes[0].Voxels.Sum(v => (double)v) * volumes.Count;
        using var stop = new CancellationTokenSource();
        var collector = new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });
        collector.Start();
        try
        {
            for (var i = 0; i < 8000; i++)
            {
                using var batch = VolumeTensor.Batch(volumes);
                Assert.Equal([4L, 1, 48, 40, 32], batch.shape);
                using var sum = batch.sum(ScalarType.Float64);
                Assert.Equal(expected, sum.ToDouble());
            }
        }
        finally
        {
            stop.Cancel();
            collector.Join();
        }
    }
}
