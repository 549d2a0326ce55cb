using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// A persistent id <c>('storage', storage_type, key, location, numel)</c> from a torch.save pickle: the raw bytes live
/// in the zip member <c>&lt;archive&gt;/data/&lt;key&gt;</c>. <paramref name="DType"/> is the storage class's element
/// type (<c>torch.HalfStorage</c> → Float16); an untyped storage (<c>torch.UntypedStorage</c>, torch ≥ 2 for new
/// dtypes) counts bytes, so its dtype is null and <paramref name="Numel"/> is its byte count.
/// </summary>
public sealed record TorchStorageReference(string Key, torch.ScalarType? DType, string Location, long Numel)
{
    public long ByteLength => DType is { } t ? checked(Numel * TorchDTypes.ElementSize(t)) : Numel;
}
