using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model.Image;

/// <summary>
/// Merlin's inflated ResNet (I3ResNet, merlin-model.md §1): input (B, 1, X, Y, Z) permuted to (B, 1, Z, X, Y) as
/// Merlin does; stem conv (3,7,7)/(1,2,2) + BN + ReLU + max-pool (3,3,3)/2; four bottleneck stages; global average
/// pool; 1×1×1 conv heads `classifier` (phenotypes) and `contrastive_head` (512-d).
/// Merlin repeats the single channel 3× before the stem; convolving that equals convolving the single channel with
/// the stem kernel summed over its 3 input channels, which is what this does (3× cheaper stem, no 3-channel copy),
/// while `conv1.weight` keeps the official [64, 3, 3, 7, 7] shape and each slice receives the folded gradient.
/// </summary>
public sealed class I3ResNet : nn.Module<Tensor, ImageFeatures>
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly Conv3d conv1;
    internal readonly BatchNorm3d bn1;
    internal readonly ModuleList<Bottleneck3d> layer1;
    internal readonly ModuleList<Bottleneck3d> layer2;
    internal readonly ModuleList<Bottleneck3d> layer3;
    internal readonly ModuleList<Bottleneck3d> layer4;
    internal readonly Conv3d classifier;
    internal readonly Conv3d contrastive_head;
#pragma warning restore IDE1006

    public I3ResNet(ImageEncoderConfig config) : base(nameof(I3ResNet))
    {
        config.Validate();
        Config = config;
        conv1 = nn.Conv3d(3, config.StemChannels, (3, 7, 7), stride: (1, 2, 2), padding: (1, 3, 3), bias: false);
        bn1 = new BatchNorm3d(config.StemChannels);
        var inChannels = config.StemChannels;
        var stages = new ModuleList<Bottleneck3d>[4];
        for (var s = 0; s < 4; s++)
        {
            var planes = config.Planes[s];
            var stride = s == 0 ? 1 : 2;
            var blocks = new List<Bottleneck3d>();
            for (var b = 0; b < config.Blocks[s]; b++)
            {
                blocks.Add(new Bottleneck3d(b == 0 ? inChannels : 4 * planes, planes, b == 0 ? stride : 1, withDownsample: b == 0));
            }
            stages[s] = nn.ModuleList(blocks.ToArray());
            inChannels = 4 * planes;
        }
        (layer1, layer2, layer3, layer4) = (stages[0], stages[1], stages[2], stages[3]);
        classifier = nn.Conv3d(inChannels, config.Phenotypes, (1, 1, 1), bias: true);
        contrastive_head = nn.Conv3d(inChannels, config.EmbeddingSize, (1, 1, 1), bias: true);
        RegisterComponents();
    }

    public ImageEncoderConfig Config { get; }

    public CheckpointPolicy Checkpointing { get; set; } = CheckpointPolicy.None;

    /// <summary>
    /// Run on channels-last 3-D activations (N, D, H, W, C in memory): the same numbers, but oneDNN's blocked 3-D
    /// kernels run without reorders — 1.8× faster inference here (bench/results/encode.md).
    /// </summary>
    public bool ChannelsLast { get; set; } = true;

    /// <summary>Convolve the single channel with the channel-summed stem kernel (default) instead of repeating it 3× as Merlin does; same result, kept switchable for the benchmark.</summary>
    public bool FoldedStem { get; set; } = true;

    public IReadOnlyList<ModuleList<Bottleneck3d>> Stages => [layer1, layer2, layer3, layer4];

    /// <param name="volume">(B, 1, X, Y, Z) float32 in Merlin's layout (X, Y, Z) = (R, A, S).</param>
    public override ImageFeatures forward(Tensor volume)
    {
        if (volume.dim() != 5 || volume.shape[1] != 1)
            throw new ArgumentException($"the image encoder takes (B, 1, X, Y, Z), got ({string.Join(", ", volume.shape)})");
        using var scope = NewDisposeScope();
        var x = volume.permute(0, 1, 4, 2, 3);
        if (ChannelsLast) x = x.permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3);
        x = Checkpointing.Stem
            ? ActivationCheckpoint.Run(Stem, x, [conv1.weight!, bn1.weight!, bn1.bias!], Buffers([bn1]))
            : Stem(x);
        for (var s = 0; s < 4; s++) x = RunStage(s, x);
        var layer4Map = x;
        var pooled = x.mean([2, 3, 4], keepdim: true);
        var phenotypes = classifier.call(pooled).flatten(1);
        var contrastive = contrastive_head.call(pooled).flatten(1);
        return new ImageFeatures(pooled.flatten(1).MoveToOuterDisposeScope(), contrastive.MoveToOuterDisposeScope(),
            phenotypes.MoveToOuterDisposeScope(), layer4Map.contiguous().MoveToOuterDisposeScope());
    }

    private Tensor Stem(Tensor x)
    {
        // Sum over the 3 (identical) input channels: the same convolution as on the repeated input.
        var h = FoldedStem
            ? nn.functional.conv3d(x, conv1.weight!.sum(1, keepdim: true), strides: [1, 2, 2], padding: [1, 3, 3])
            : conv1.call(ChannelsLast ? x.expand(-1, 3, -1, -1, -1).permute(0, 2, 3, 4, 1).contiguous().permute(0, 4, 1, 2, 3) : x.expand(-1, 3, -1, -1, -1).contiguous());
        h = nn.functional.relu(bn1.call(h));
        return nn.functional.max_pool3d(h, [3, 3, 3], strides: [2, 2, 2], padding: [1, 1, 1]);
    }

    private Tensor RunStage(int stage, Tensor x)
    {
        var blocks = Stages[stage];
        if (Checkpointing.Stages[stage])
            return ActivationCheckpoint.Run(h => RunBlocks(blocks, h, Checkpointing.Blocks[stage]), x, Parameters(blocks), Buffers(blocks));
        return RunBlocks(blocks, x, Checkpointing.Blocks[stage]);
    }

    private static Tensor RunBlocks(ModuleList<Bottleneck3d> blocks, Tensor x, bool checkpoint)
    {
        foreach (var block in blocks)
            x = checkpoint ? ActivationCheckpoint.Run(block.call, x, Parameters([block]), Buffers([block])) : block.call(x);
        return x;
    }

    private static List<Tensor> Parameters(IEnumerable<nn.Module> modules) => modules.SelectMany(m => m.parameters()).Cast<Tensor>().ToList();

    private static List<Tensor> Buffers(IEnumerable<nn.Module> modules) => modules.SelectMany(m => m.buffers()).ToList();
}
