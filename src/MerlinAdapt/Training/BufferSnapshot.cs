using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// Copies of a module's buffers (BatchNorm statistics and batch counts), to put back after passes that must leave no
/// trace: GradCache's gradient-free first forward, the starting model's validation.
/// </summary>
public sealed class BufferSnapshot : IDisposable
{
    private readonly nn.Module _module;
    private readonly List<Tensor> _saved;

    public BufferSnapshot(nn.Module module)
    {
        _module = module;
        _saved = module.buffers().Select(b => b.clone()).ToList();
    }

    public void Restore()
    {
        using var noGrad = no_grad();
        foreach (var (saved, live) in _saved.Zip(_module.buffers())) live.copy_(saved);
    }

    public void Dispose()
    {
        foreach (var b in _saved) b.Dispose();
    }
}
