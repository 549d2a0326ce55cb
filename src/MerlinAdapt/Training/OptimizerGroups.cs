using MerlinAdapt.Model;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// AdamW parameter groups: weight decay except for biases, normalisation weights and the temperature; optionally
/// layer-wise learning-rate decay (the paper's code: 0.7) — deeper layers keep the base rate, earlier ones get
/// decay^(distance from the top).
/// </summary>
public static class OptimizerGroups
{
    public sealed record Group(string Name, List<Parameter> Parameters, double LearningRate, double WeightDecay);

    public static List<Group> Build(MerlinModel model, double learningRate, double weightDecay, double? layerDecay)
    {
        var groups = new Dictionary<(int Depth, bool Decay), Group>();
        var maxDepth = 0;
        var named = model.named_parameters().Where(p => p.parameter.requires_grad).ToList();
        var depths = named.ToDictionary(p => p.name, p => Depth(p.name, model));
        if (depths.Count > 0) maxDepth = depths.Values.Max();
        foreach (var (name, parameter) in named)
        {
            var decay = !(name.EndsWith(".bias", StringComparison.Ordinal) || name == "logit_scale" || parameter.dim() <= 1);
            var depth = layerDecay is null ? 0 : depths[name];
            var key = (depth, decay);
            if (!groups.TryGetValue(key, out var group))
            {
                var lr = layerDecay is { } d ? learningRate * Math.Pow(d, maxDepth - depth) : learningRate;
                groups[key] = group = new Group($"depth{depth}{(decay ? "" : "-nodecay")}", [], lr, decay ? weightDecay : 0);
            }
            group.Parameters.Add(parameter);
        }
        return groups.OrderBy(g => g.Key.Depth).ThenBy(g => g.Key.Decay).Select(g => g.Value).ToList();
    }

    public static AdamW AdamW(IEnumerable<Group> groups) =>
        new(groups.Select(g => new AdamW.ParamGroup(g.Parameters, new AdamW.Options { LearningRate = g.LearningRate, weight_decay = g.WeightDecay })),
            beta1: 0.9, beta2: 0.999);

    /// <summary>0 = embeddings/stem … top = projections and temperature; image and text counted on their own scales, aligned at the top.</summary>
    private static int Depth(string name, MerlinModel model)
    {
        const int top = 100;
        if (name == "logit_scale" || name.Contains("linear_layer") || name.Contains("contrastive_head") || name.Contains("classifier")) return top;
        if (name.StartsWith("encode_text.", StringComparison.Ordinal))
        {
            var layers = model.Config.Text!.Layers;
            var marker = "encoder.layer.";
            var at = name.IndexOf(marker, StringComparison.Ordinal);
            if (at < 0) return top - layers - 1; // embeddings
            var index = int.Parse(name[(at + marker.Length)..].Split('.')[0]);
            return top - layers + index;
        }
        for (var s = 4; s >= 1; s--)
            if (name.Contains($".layer{s}.", StringComparison.Ordinal)) return top - 5 + s;
        return top - 5; // stem
    }
}
