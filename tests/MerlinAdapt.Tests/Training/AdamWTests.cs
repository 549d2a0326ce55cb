using MerlinAdapt.Training;
using TorchSharp;
using Parameter = TorchSharp.Modules.Parameter;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Training;

public sealed class AdamWTests
{
    /// <summary>Two parameter groups, one with weight decay; every step also moves the learning rate, as the cosine schedule does.</summary>
    private static (List<Parameter> Parameters, TorchSharp.Modules.AdamW.ParamGroup[] Groups) Problem()
    {
        var generator = new Generator(11);
        var parameters = new List<Parameter>
        {
            new(randn([5, 3], generator: generator)), new(randn([5], generator: generator)), new(randn([2, 2], generator: generator)),
        };
        return (parameters,
        [
            new TorchSharp.Modules.AdamW.ParamGroup(parameters.Take(2), new TorchSharp.Modules.AdamW.Options { LearningRate = 1e-2, weight_decay = 0.05 }),
            new TorchSharp.Modules.AdamW.ParamGroup(parameters.Skip(2), new TorchSharp.Modules.AdamW.Options { LearningRate = 3e-3, weight_decay = 0 }),
        ]);
    }

    private static void Steps(optim.Optimizer optimizer, List<Parameter> parameters, int first, int count)
    {
        for (var s = first; s < first + count; s++)
        {
            using var scope = NewDisposeScope();
            optimizer.zero_grad();
            var generator = new Generator((ulong)(100 + s));
            var loss = parameters.Select(p => (p * randn(p.shape, generator: generator)).sum().pow(KeptScalars.Two)).Aggregate((a, b) => a.add(b, KeptScalars.One));
            loss.backward();
            foreach (var g in optimizer.ParamGroups) g.LearningRate *= 0.9;
            optimizer.step();
        }
    }

    [Fact]
    public void Steps_EqualTorchSharpsAdamW_Exactly()
    {
        var (expected, stockGroups) = Problem();
        var (actual, safeGroups) = Problem();
        using var stock = optim.AdamW(stockGroups, beta1: 0.9, beta2: 0.999);
        using var safe = new MerlinAdapt.Training.AdamW(safeGroups, beta1: 0.9, beta2: 0.999);

        Steps(stock, expected, 0, 6);
        Steps(safe, actual, 0, 6);

        foreach (var (e, a) in expected.Zip(actual)) Assert.True(TensorAssert.Same(e, a), $"max difference {(e - a).abs().max().ToDouble()}");
    }

    /// <summary>Its state file is TorchSharp's: a run saved by the stock optimiser (older checkpoints) resumes to the same parameters.</summary>
    [Fact]
    public void StateSavedByTheStockOptimiser_ResumesExactly()
    {
        using var dir = new TempDirectory();
        var (straight, straightGroups) = Problem();
        using var uninterrupted = new MerlinAdapt.Training.AdamW(straightGroups, 0.9, 0.999);
        Steps(uninterrupted, straight, 0, 5);

        var (resumed, stockGroups) = Problem();
        using (var stock = optim.AdamW(stockGroups, beta1: 0.9, beta2: 0.999))
        {
            Steps(stock, resumed, 0, 2);
            stock.save_state_dict(dir.File("optimizer.bin"));
        }
        var (_, safeGroups) = Problem();
        using var safe = new MerlinAdapt.Training.AdamW(safeGroups.Select((g, i) => new TorchSharp.Modules.AdamW.ParamGroup(resumed.Skip(i * 2).Take(i == 0 ? 2 : 1), (TorchSharp.Modules.AdamW.Options)g.Options)), 0.9, 0.999);
        safe.load_state_dict(dir.File("optimizer.bin"));
        Steps(safe, resumed, 2, 3);

        foreach (var (e, a) in straight.Zip(resumed)) Assert.True(TensorAssert.Same(e, a), $"max difference {(e - a).abs().max().ToDouble()}");
    }
}
