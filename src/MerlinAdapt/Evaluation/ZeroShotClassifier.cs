using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Evaluation;

/// <summary>
/// Zero-shot classification from prompt embeddings (paper §2.4.4; hcc-merlin-reference.md §2.7): cosine of the
/// L2-normalised image embedding to each prompt, aggregated per class. Two classes: positive iff the positive mean
/// exceeds the negative one (a tie predicts the negative class); score for AUC = positive − negative. More classes:
/// argmax (ties against the positive class); score = positive − best other.
/// </summary>
public sealed class ZeroShotClassifier
{
    private readonly PromptSet _prompts;
    private readonly Dictionary<string, Tensor> _classEmbeddings;
    private readonly PromptAggregation _aggregation;

    /// <param name="promptEmbeddings">Per class, its prompts' text embeddings [P, D] (normalised here).</param>
    public ZeroShotClassifier(PromptSet prompts, IReadOnlyDictionary<string, Tensor> promptEmbeddings, PromptAggregation aggregation = PromptAggregation.MeanSimilarity)
    {
        _prompts = prompts;
        _aggregation = aggregation;
        _classEmbeddings = prompts.ClassNames.ToDictionary(c => c, c =>
        {
            var e = nn.functional.normalize(promptEmbeddings[c].to(float64), dim: -1);
            return aggregation == PromptAggregation.MeanEmbedding ? nn.functional.normalize(e.mean([0], keepdim: true), dim: -1) : e;
        });
    }

    public IReadOnlyList<string> Classes => _prompts.ClassNames;

    /// <summary>One result per row of <paramref name="imageEmbeddings"/> [N, D].</summary>
    public IReadOnlyList<ZeroShotResult> Classify(Tensor imageEmbeddings)
    {
        using var scope = NewDisposeScope();
        using var noGrad = no_grad();
        var perClass = Similarities(imageEmbeddings).t().contiguous();
        var n = (int)perClass.shape[1];
        var values = perClass.data<double>().ToArray();
        return Enumerable.Range(0, n)
            .Select(i => Decide(Classes.Select((c, k) => (c, values[k * n + i])).ToDictionary(x => x.c, x => x.Item2)))
            .ToList();
    }

    /// <summary>
    /// Per-class similarity [N, classes] (columns in <see cref="Classes"/> order) as float64, differentiable in the
    /// image embeddings: what <see cref="Classify"/> decides on and GradCAM differentiates.
    /// </summary>
    public Tensor Similarities(Tensor imageEmbeddings)
    {
        using var scope = NewDisposeScope();
        var images = nn.functional.normalize(imageEmbeddings.to(float64), dim: -1);
        return stack(Classes.Select(c => matmul(images, _classEmbeddings[c].t()).mean([1])), 1).MoveToOuterDisposeScope();
    }

    /// <summary>The score of <see cref="Decide"/> as a tensor [N] (positive − best other class), differentiable.</summary>
    public Tensor Scores(Tensor imageEmbeddings)
    {
        using var scope = NewDisposeScope();
        var similarities = Similarities(imageEmbeddings);
        var positive = Classes.ToList().IndexOf(_prompts.Positive);
        var others = tensor(Enumerable.Range(0, Classes.Count).Where(k => k != positive).Select(k => (long)k).ToArray());
        var score = similarities.select(1, positive) - similarities.index_select(1, others).amax([1]);
        return score.MoveToOuterDisposeScope();
    }

    /// <summary>The decision rule on per-class similarities: argmax, a tie never going to the positive class.</summary>
    public ZeroShotResult Decide(IReadOnlyDictionary<string, double> similarities)
    {
        var predicted = similarities.OrderByDescending(kv => kv.Value).ThenBy(kv => kv.Key == _prompts.Positive ? 1 : 0).First().Key;
        var bestOther = similarities.Where(kv => kv.Key != _prompts.Positive).Max(kv => kv.Value);
        return new ZeroShotResult(predicted, similarities[_prompts.Positive] - bestOther, similarities);
    }
}

/// <summary>One scan's zero-shot outcome: predicted class, score (positive − best other) and per-class similarities.</summary>
public sealed record ZeroShotResult(string Predicted, double Score, IReadOnlyDictionary<string, double> Similarities);
