using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Model;

/// <summary>
/// Activation checkpointing (TorchSharp has no torch.utils.checkpoint): the forward runs without keeping
/// activations; the backward recomputes them and back-propagates through the recomputation.
/// Unlike the paper's code (hcc-merlin-reference.md §1.6), gradients reach trainable parameters inside the block
/// even when the block's input does not require grad (a frozen stem under PEFT): the parameters are passed as
/// explicit inputs of the autograd function, so autograd always calls its backward. BatchNorm running statistics
/// are restored after the recompute, so a training-mode block updates them once, as without checkpointing.
/// </summary>
public sealed class ActivationCheckpoint : autograd.MultiTensorFunction<ActivationCheckpoint>
{
    public override string Name => "ActivationCheckpoint";

    /// <summary>Runs <paramref name="block"/> on <paramref name="input"/> with recomputation in the backward pass.</summary>
    public static Tensor Run(Func<Tensor, Tensor> block, Tensor input, IReadOnlyList<Tensor> parameters, IReadOnlyList<Tensor> buffers)
    {
        var trainable = parameters.Where(p => p.requires_grad).ToList();
        if (!is_grad_enabled() || (!input.requires_grad && trainable.Count == 0)) return block(input);
        var args = new List<object> { new Recompute(block, buffers), input };
        args.AddRange(trainable);
        return apply(args.ToArray())[0];
    }

    private sealed record Recompute(Func<Tensor, Tensor> Block, IReadOnlyList<Tensor> Buffers);

    public override List<Tensor> forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var recompute = (Recompute)vars[0];
        var input = (Tensor)vars[1];
        ctx.save_data("recompute", recompute);
        ctx.save_data("parameters", vars.Skip(2).Cast<Tensor>().ToList());
        ctx.save_data("input_requires_grad", input.requires_grad);
        ctx.save_for_backward([input]);
        using var noGrad = no_grad();
        return [recompute.Block(input)];
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, List<Tensor> gradOutputs)
    {
        var recompute = (Recompute)ctx.get_data("recompute");
        var parameters = (List<Tensor>)ctx.get_data("parameters");
        var inputRequiresGrad = (bool)ctx.get_data("input_requires_grad");
        List<Tensor> grads;
        // Everything the recompute creates is freed here, at once: left to the garbage collector, each block's
        // recomputed output would stay alive and checkpointing would save no memory.
        using (var scope = NewDisposeScope())
        {
            var input = ctx.get_saved_variables()[0].detach().requires_grad_(inputRequiresGrad);
            // Restore BatchNorm statistics after the second forward, so they are updated exactly once.
            var saved = recompute.Buffers.Select(b => b.clone()).ToList();
            using (enable_grad())
            {
                var output = recompute.Block(input);
                var wrt = new List<Tensor>();
                if (inputRequiresGrad) wrt.Add(input);
                wrt.AddRange(parameters);
                grads = autograd.grad([output], wrt, [gradOutputs[0]], allow_unused: true).ToList();
            }
            using (no_grad())
                for (var i = 0; i < saved.Count; i++) recompute.Buffers[i].copy_(saved[i]);
            foreach (var g in grads) g?.MoveToOuterDisposeScope();
        }

        var result = new List<Tensor> { null!, inputRequiresGrad ? grads[0] : null! };
        result.AddRange(grads.Skip(inputRequiresGrad ? 1 : 0));
        return result;
    }
}
