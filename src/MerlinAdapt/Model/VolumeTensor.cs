using MerlinAdapt.Volumes;
using static TorchSharp.torch;

namespace MerlinAdapt.Model;

/// <summary>Volumes (X fastest in memory, as NIfTI) as model input tensors (B, 1, X, Y, Z), Merlin's layout.</summary>
public static class VolumeTensor
{
    public static Tensor From(Volume volume)
    {
        if (volume.Channels != 1) throw new ArgumentException("the model takes single-channel volumes");
        using var zyx = tensor(volume.Voxels, [volume.SizeZ, volume.SizeY, volume.SizeX]);
        return zyx.permute(2, 1, 0).contiguous().unsqueeze(0).unsqueeze(0);
    }

    public static Tensor Batch(IEnumerable<Volume> volumes)
    {
        var parts = volumes.Select(From).ToList();
        try { return cat(parts, 0); }
        finally { foreach (var p in parts) p.Dispose(); }
    }
}
