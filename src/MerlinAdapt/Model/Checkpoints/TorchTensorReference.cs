using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// A tensor as the pickle describes it (the arguments of <c>torch._utils._rebuild_tensor_v2</c>/<c>_v3</c>): a view
/// of <paramref name="Storage"/> with an element offset, shape and strides in elements. Several references may share
/// one storage (tied weights, slices of a fused qkv); <see cref="TorchCheckpointReader"/> turns each into its own
/// contiguous tensor once the whole pickle has been checked.
/// </summary>
public sealed record TorchTensorReference(
    TorchStorageReference Storage, torch.ScalarType DType, long StorageOffset, long[] Shape, long[] Stride)
{
    public long Numel => Shape.Aggregate(1L, (n, d) => checked(n * d));
}
