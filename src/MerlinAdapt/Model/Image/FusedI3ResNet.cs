using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>
/// An inference-only copy of an <see cref="I3ResNet"/> with every BatchNorm (eval mode: running statistics) folded
/// into the convolution before it — W' = W·γ/√(σ²+ε), b' = β − μ·γ/√(σ²+ε) — and the stem folded to one input
/// channel. Same outputs as the module up to fp32 rounding, fewer passes over the large early activations.
/// Keeps activations channels-last (N, D, H, W, C in memory) by default, which oneDNN runs much faster.
/// </summary>
public sealed class FusedI3ResNet : IDisposable
{
    private sealed record FusedConv(Tensor Weight, Tensor Bias, long[] Stride, long[] Padding);

    private sealed record FusedBlock(FusedConv Conv1, FusedConv Conv2, FusedConv Conv3, FusedConv? Downsample);

    private readonly FusedConv _stem;
    private readonly List<FusedBlock> _blocks = [];
    private readonly Tensor _classifierWeight, _classifierBias, _contrastiveWeight, _contrastiveBias;
    private readonly bool _channelsLast;
    private readonly int _stemChannels;

    /// <param name="channelsLast">Keep activations (N, D, H, W, C) in memory: 1.7× faster here with oneDNN (bench/results/encode.md).</param>
    /// <param name="foldedStem">Convolve one channel with the channel-summed stem kernel (default) rather than three copies.</param>
    public FusedI3ResNet(I3ResNet network, bool channelsLast = true, bool foldedStem = true)
    {
        _channelsLast = channelsLast;
        _stemChannels = foldedStem ? 1 : 3;
        using var noGrad = no_grad();
        var stemWeight = foldedStem ? network.conv1.weight!.sum(1, keepdim: true) : network.conv1.weight!;
        _stem = Fuse(stemWeight, network.bn1, [1, 2, 2], [1, 3, 3]);
        foreach (var stage in network.Stages)
            foreach (var block in stage)
            {
                _blocks.Add(new FusedBlock(
                    Fuse(WeightOf(block.conv1), block.bn1, [1, 1, 1], [0, 0, 0]),
                    Fuse(WeightOf(block.conv2), block.bn2, Stride(block.conv2), [1, 1, 1]),
                    Fuse(WeightOf(block.conv3), block.bn3, [1, 1, 1], [0, 0, 0]),
                    block.downsample is null ? null
                        : Fuse(WeightOf(block.downsample.conv), block.downsample.bn, Stride(block.downsample.conv), [0, 0, 0])));
            }
        _classifierWeight = Layout(network.classifier.weight!.detach().clone());
        _classifierBias = network.classifier.bias!.detach().clone();
        _contrastiveWeight = Layout(network.contrastive_head.weight!.detach().clone());
        _contrastiveBias = network.contrastive_head.bias!.detach().clone();
    }

    public ImageFeatures Forward(Tensor volume)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var x = volume.permute(0, 1, 4, 2, 3);
        x = Layout(_stemChannels == 1 ? x : x.expand(-1, 3, -1, -1, -1));
        x = nn.functional.relu(Conv(x, _stem));
        x = nn.functional.max_pool3d(x, [3, 3, 3], strides: [2, 2, 2], padding: [1, 1, 1]);
        foreach (var b in _blocks)
        {
            var h = nn.functional.relu(Conv(x, b.Conv1));
            h = nn.functional.relu(Conv(h, b.Conv2));
            h = Conv(h, b.Conv3);
            x = nn.functional.relu(h.add_(b.Downsample is null ? x : Conv(x, b.Downsample), KeptScalars.One));
        }
        var pooled = x.mean([2, 3, 4], keepdim: true);
        var phenotypes = nn.functional.conv3d(pooled, _classifierWeight, _classifierBias).flatten(1);
        var contrastive = nn.functional.conv3d(pooled, _contrastiveWeight, _contrastiveBias).flatten(1);
        return new ImageFeatures(pooled.flatten(1).MoveToOuterDisposeScope(), contrastive.MoveToOuterDisposeScope(),
            phenotypes.MoveToOuterDisposeScope(), x.contiguous().MoveToOuterDisposeScope());
    }

    private Tensor Conv(Tensor x, FusedConv c) => nn.functional.conv3d(x, c.Weight, c.Bias, strides: c.Stride, padding: c.Padding);

    /// <summary>Channels-last 3-D strides: logical (N, C, D, H, W), physical (N, D, H, W, C).</summary>
    private Tensor Layout(Tensor t) => _channelsLast && t.dim() == 5 ? t.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3) : t;

    private FusedConv Fuse(Tensor weight, BatchNorm3d bn, long[] stride, long[] padding)
    {
        using var eps = bn.eps.ToScalar();
        var scale = bn.weight!.detach() / bn.running_var!.detach().add(eps, KeptScalars.One).sqrt();
        var fusedWeight = weight.detach() * scale.view(-1, 1, 1, 1, 1);
        var fusedBias = bn.bias!.detach() - bn.running_mean!.detach() * scale;
        return new FusedConv(Layout(fusedWeight), fusedBias, stride, padding);
    }

    private static Tensor WeightOf(nn.Module<Tensor, Tensor> conv) => conv switch
    {
        Conv3d c => c.weight!,
        _ => throw new NotSupportedException($"cannot fuse a {conv.GetType().Name}; merge adapters into the weights first"),
    };

    private static long[] Stride(nn.Module<Tensor, Tensor> conv) => conv switch
    {
        Conv3d c => c.stride.Length == 3 ? c.stride : [c.stride[0], c.stride[0], c.stride[0]],
        _ => throw new NotSupportedException(conv.GetType().Name),
    };

    public void Dispose()
    {
        foreach (var c in _blocks.SelectMany(b => new[] { b.Conv1, b.Conv2, b.Conv3, b.Downsample }).Append(_stem))
        {
            c?.Weight.Dispose();
            c?.Bias.Dispose();
        }
        _classifierWeight.Dispose();
        _classifierBias.Dispose();
        _contrastiveWeight.Dispose();
        _contrastiveBias.Dispose();
    }
}
