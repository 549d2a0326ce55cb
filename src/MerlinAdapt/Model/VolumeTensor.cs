using MerlinAdapt.Volumes;
using static TorchSharp.torch;

namespace MerlinAdapt.Model;

/// <summary>Volumes (X fastest in memory, as NIfTI) as model input tensors (B, 1, X, Y, Z), Merlin's layout.</summary>
public static class VolumeTensor
{
    public static Tensor From(Volume volume)
    {
        if (volume.Channels != 1) throw new ArgumentException("the model takes single-channel volumes");
        // Every intermediate is a named local. In a chain such as x.permute().contiguous().unsqueeze(0), nothing
        // references a temporary once its native call has begun, so outside a dispose scope the GC may finalise it —
        // freeing the native tensor — while libtorch still reads it: the demo's intermittent SIGSEGV (README).
        using var zyx = tensor(volume.Voxels, [volume.SizeZ, volume.SizeY, volume.SizeX]);
        using var xyz = zyx.permute(2, 1, 0);
        using var contiguous = xyz.contiguous();
        return contiguous.view(1, 1, volume.SizeX, volume.SizeY, volume.SizeZ);
    }

    public static Tensor Batch(IEnumerable<Volume> volumes)
    {
        var parts = volumes.Select(From).ToList();
        try { return cat(parts, 0); }
        finally { foreach (var p in parts) p.Dispose(); }
    }
}
