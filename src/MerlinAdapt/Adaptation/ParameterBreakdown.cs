using MerlinAdapt.Model;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// Parameter counts of a model in an adaptation mode, as `params --mode` prints them and the paper's Tables 2 and 7
/// report them: the towers, each adapter group (ConvLoRA also per stage), the projections, the trainable total —
/// all without the temperature, which is counted on its own.
/// </summary>
public sealed record ParameterBreakdown(
    long ImageEncoder,
    long TextEncoder,
    long TextLora,
    long ConvLora,
    long[] ConvLoraPerStage,
    long Projections,
    long Trainable,
    long Temperature,
    long Total)
{
    public static ParameterBreakdown Of(MerlinModel model, AdaptationMode mode)
    {
        var layers = AdaptationPolicy.LoraLayers(model).ToList();
        long Adapter(Func<string, bool> where) => layers.Where(l => where(l.Path)).Sum(l => l.Layer.AdapterParameters().Sum(p => p.Parameter.numel()));
        var perStage = Enumerable.Range(1, 4).Select(s => Adapter(p => p.StartsWith($"encode_image.i3_resnet.layer{s}.", StringComparison.Ordinal))).ToArray();
        var textLora = Adapter(p => p.StartsWith("encode_text.", StringComparison.Ordinal));
        var convLora = perStage.Sum();
        long projections = 0;
        if (mode.TrainsTextProjection() && model.HasTextTower) projections += model.Text.linear_layer.parameters().Sum(p => p.numel());
        if (mode.TrainsImageProjection() && model.HasImageTower) projections += model.Image.Network.contrastive_head.parameters().Sum(p => p.numel());
        var trainable = model.parameters().Where(p => p.requires_grad).Sum(p => p.numel()) - model.LogitScale.numel();
        var counts = model.CountParameters();
        return new ParameterBreakdown(counts.ImageEncoder - convLora, counts.TextEncoder - textLora, textLora, convLora, perStage,
            projections, trainable, model.LogitScale.numel(), counts.Total);
    }
}
