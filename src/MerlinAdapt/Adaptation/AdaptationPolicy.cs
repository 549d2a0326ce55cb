using MerlinAdapt.Model;
using MerlinAdapt.Model.Image;
using MerlinAdapt.Model.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// Puts a model into an adaptation mode: wraps the target layers in LoRA / ConvLoRA (<see cref="ModuleSurgery"/>),
/// then marks exactly the mode's tensors trainable and everything else frozen. <see cref="Train"/> switches to
/// training while keeping BatchNorm in eval mode for every mode but full. Trainable means reached by the
/// contrastive loss: see <see cref="UnusedByContrastiveLoss"/>.
/// </summary>
public static class AdaptationPolicy
{
    /// <param name="trainPhenotypeHead">Also train the image classifier head (full mode with a phenotype loss, as Merlin's pretraining).</param>
    public static void Apply(MerlinModel model, AdaptationMode mode, LoraOptions? options = null, bool trainPhenotypeHead = false)
    {
        options ??= new LoraOptions();
        if ((mode.UsesTextLora() || mode.TrainsTextProjection()) && !model.HasTextTower)
            throw new InputException("--mode", $"mode {mode.Name()} needs a text tower; this model has none");
        if ((mode.UsesConvLora() || mode.TrainsImageProjection()) && !model.HasImageTower)
            throw new InputException("--mode", $"mode {mode.Name()} needs an image tower; this model has none");
        if (mode.UsesTextLora()) InjectText(model.Text, options);
        if (mode.UsesConvLora()) InjectImage(model.Image, options);

        foreach (var (name, p) in model.named_parameters()) p.requires_grad = mode == AdaptationMode.Full && !UnusedByContrastiveLoss(name);
        model.LogitScale.requires_grad = true;
        foreach (var layer in LoraLayers(model))
            foreach (var (_, p) in layer.Layer.AdapterParameters()) p.requires_grad = true;
        if (mode.TrainsTextProjection() && model.HasTextTower)
            foreach (var p in model.Text.linear_layer.parameters()) p.requires_grad = true;
        if (mode.TrainsImageProjection() && model.HasImageTower)
            foreach (var p in model.Image.Network.contrastive_head.parameters()) p.requires_grad = true;
        if (trainPhenotypeHead && model.HasImageTower)
            foreach (var p in model.Image.Network.classifier.parameters()) p.requires_grad = true;
    }

    /// <summary>Training mode for dropout; BatchNorm keeps its running statistics unless the mode is full.</summary>
    public static void Train(MerlinModel model, AdaptationMode mode)
    {
        model.train();
        if (mode == AdaptationMode.Full) return;
        foreach (var bn in model.modules().OfType<Model.Image.BatchNorm3d>()) bn.eval();
    }

    /// <summary>
    /// Weights the image–report contrastive loss never reaches: the phenotype head, HF's pooler and the global-attention
    /// projections. Even full fine-tuning keeps them frozen — they would get no gradient, only weight decay.
    /// </summary>
    public static bool UnusedByContrastiveLoss(string parameterName) =>
        parameterName.StartsWith("encode_image.i3_resnet.classifier.", StringComparison.Ordinal)
        || parameterName.StartsWith("encode_text.text_encoder.pooler.", StringComparison.Ordinal)
        || parameterName.Contains("_global.", StringComparison.Ordinal);

    /// <summary>Every adapter layer with its dotted path in the model.</summary>
    public static IEnumerable<(string Path, ILoraLayer Layer)> LoraLayers(MerlinModel model) =>
        ModuleSurgery.Children(model).Where(c => c.Child is ILoraLayer).Select(c => (c.Path, (ILoraLayer)c.Child));

    private static void InjectText(TextEncoder text, LoraOptions options)
    {
        var targets = ModuleSurgery.Children(text.Longformer.encoder)
            .Where(c => c.Child is Linear && c.Parent is not LoraLinear && options.TextTargets.Contains(c.Name)).ToList();
        if (targets.Count == 0) throw new InputException("--text-targets", $"no text layer is named {string.Join("/", options.TextTargets)}");
        foreach (var (_, parent, name, child) in targets)
            ModuleSurgery.Replace(parent, name, new LoraLinear((Linear)child, options.TextRank, options.TextAlpha, options.TextDropout));
    }

    private static void InjectImage(ImageEncoder image, LoraOptions options)
    {
        var targets = new List<(nn.Module Parent, string Name, Conv3d Conv)>();
        foreach (var stage in image.Network.Stages)
            foreach (var (_, parent, name, child) in ModuleSurgery.Children(stage))
            {
                if (child is not Conv3d conv) continue;
                var target = parent switch
                {
                    Bottleneck3d => name,
                    Downsample3d => "downsample." + name,
                    _ => null,
                };
                if (target is not null && options.ImageTargets.Contains(target)) targets.Add((parent, name, conv));
            }
        if (targets.Count == 0) throw new InputException("--image-targets", $"no bottleneck convolution is named {string.Join("/", options.ImageTargets)}");
        foreach (var (parent, name, conv) in targets)
            ModuleSurgery.Replace(parent, name, new LoraConv3d(conv, options.ImageRank, options.ImageAlpha, options.ImageDropout));
    }
}
