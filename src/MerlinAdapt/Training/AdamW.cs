using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// TorchSharp's AdamW (decoupled weight decay, PyTorch's update rule) with a step whose Scalars live through their
/// native calls. The stock step passes temporaries such as <c>1 - beta1</c> straight to native code, where the GC may
/// free them mid call (<see cref="KeptScalars"/>). Only the step changes: the state, its save and load, and the
/// parameter groups are TorchSharp's own; the class keeps TorchSharp's name because the state file records it, so
/// optimizer.bin files written by either load into the other. AMSGrad and maximize are not offered (the trainer uses
/// neither).
/// </summary>
public sealed class AdamW(IEnumerable<TorchSharp.Modules.AdamW.ParamGroup> groups, double beta1, double beta2)
    : TorchSharp.Modules.AdamW(groups, beta1: beta1, beta2: beta2)
{
    public override Tensor step(Func<Tensor>? closure = null) => _step<ParamGroup>(group =>
    {
        var options = (Options)group.Options;
        double b1 = options.beta1!.Value, b2 = options.beta2!.Value, lr = options.LearningRate!.Value;
        using var decay = (1 - lr * options.weight_decay!.Value).ToScalar();
        using var keep1 = b1.ToScalar();
        using var keep2 = b2.ToScalar();
        using var rest1 = (1 - b1).ToScalar();
        using var rest2 = (1 - b2).ToScalar();
        using var eps = options.eps!.Value.ToScalar();
        foreach (var param in group.Parameters)
        {
            using var scope = NewDisposeScope();
            var grad = param.grad;
            if (grad is null) continue;
            var state = (State)_state[param.Handle];
            state.step += 1;
            param.mul_(decay);
            using var correction2 = Math.Sqrt(1 - Math.Pow(b2, state.step)).ToScalar();
            using var stepSize = (-lr / (1 - Math.Pow(b1, state.step))).ToScalar();
            state.exp_avg.mul_(keep1).add_(grad, rest1);
            state.exp_avg_sq.mul_(keep2).addcmul_(grad, grad, rest2);
            var denominator = state.exp_avg_sq.sqrt().div_(correction2).add_(eps, KeptScalars.One);
            param.addcdiv_(state.exp_avg, denominator, stepSize);
        }
    }, closure);
}
