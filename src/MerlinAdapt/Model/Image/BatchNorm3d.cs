using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>
/// 3-D batch normalisation as TorchSharp's <c>nn.BatchNorm3d</c> (same parameters, buffers, state-dict names and
/// arithmetic), with a forward that creates no temporary Scalar: TorchSharp's own counts batches with
/// <c>num_batches_tracked.add_(1)</c>, whose hidden Scalars the GC may free mid call (<see cref="KeptScalars"/>; seen
/// as "For integral input tensors, argument alpha must not be a floating point number" while training).
/// TorchSharp's class is sealed, hence this one.
/// </summary>
public sealed class BatchNorm3d(long features) : BatchNorm(features, 1e-5, 0.1, true, true, null, null, nameof(BatchNorm3d))
{
    public override Tensor forward(Tensor input)
    {
        ValidateInputDimensions(input);
        var averaging = momentum;
        if (training && track_running_stats && num_batches_tracked is not null)
        {
            num_batches_tracked.add_(KeptScalars.One, KeptScalars.One);
            if (momentum is null or 0) averaging = 1.0 / num_batches_tracked.ToInt64();
        }
        var useStatistics = !training || track_running_stats;
        return nn.functional.batch_norm(input, useStatistics ? running_mean : null, useStatistics ? running_var : null, weight, bias,
            training || running_mean is null && running_var is null, averaging!.Value, eps);
    }

    protected override void ValidateInputDimensions(Tensor input)
    {
        if (input.dim() != 5) throw new ArgumentException($"expected a 5-D input (N, C, D, H, W), got {input.dim()}-D");
    }
}
