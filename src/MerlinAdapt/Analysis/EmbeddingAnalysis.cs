using System.Globalization;
using System.Text;
using System.Text.Json;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Reporting;
using static TorchSharp.torch;

namespace MerlinAdapt.Analysis;

/// <summary>
/// `embed`: image and report embeddings of a split as CSV, their 2-D projections by PCA and t-SNE coloured by class,
/// the class-sorted image × report similarity matrix, and the mean matched-pair cosine similarity.
/// </summary>
public static class EmbeddingAnalysis
{
    public sealed record Summary(int N, double MatchedCosine, double UnmatchedCosine, double[] PcaExplainedVariance, double TsnePerplexity);

    public static Summary Run(EmbeddingExtractor extractor, Manifest manifest, IReadOnlyList<ManifestEntry> entries, string directory,
        Tsne tsne, int batchSize, IProgress<(int Done, int Total)>? progress = null, CancellationToken cancel = default)
    {
        if (entries.Count < 4) throw new InputException(manifest.Path, $"the split holds {entries.Count} studies; projections need at least 4");
        Directory.CreateDirectory(directory);
        using var scope = NewDisposeScope();
        var images = extractor.Images(entries, batchSize, progress, cancel);
        var reports = extractor.Reports(manifest, entries);
        var labels = entries.Select(e => e.Label.Length == 0 ? "unlabelled" : e.Label).ToList();
        WriteEmbeddings(Path.Combine(directory, "image_embeddings.csv"), entries, images);
        WriteEmbeddings(Path.Combine(directory, "text_embeddings.csv"), entries, reports);

        var (pca, explained) = Pca.Project(images, 2);
        var tsneEffective = tsne with { Perplexity = Math.Min(tsne.Perplexity, (entries.Count - 1) / 3.0) };
        var embedded = tsneEffective.Embed(images);
        double[] Column(Tensor t, int c) => t.select(1, c).contiguous().to(float64).data<double>().ToArray();
        var projections = new StringBuilder("study_id,label,pca_1,pca_2,tsne_1,tsne_2\n");
        var (p1, p2, t1, t2) = (Column(pca, 0), Column(pca, 1), Column(embedded, 0), Column(embedded, 1));
        for (var i = 0; i < entries.Count; i++)
            projections.Append(CultureInfo.InvariantCulture, $"{entries[i].StudyId},{labels[i]},{p1[i]:R},{p2[i]:R},{t1[i]:R},{t2[i]:R}\n");
        AtomicFile.WriteAllText(Path.Combine(directory, "projections.csv"), projections.ToString());
        EmbeddingPlot.Save(Path.Combine(directory, "embedding_pca.png"), p1, p2, labels, "image embeddings (PCA)",
            $"PC1 ({explained[0]:P0})", $"PC2 ({explained[1]:P0})");
        EmbeddingPlot.Save(Path.Combine(directory, "embedding_tsne.png"), t1, t2, labels, $"image embeddings (t-SNE, perplexity {tsneEffective.Perplexity:0.#})", "t-SNE 1", "t-SNE 2");

        var similarity = SimilarityMatrix.Of(images, reports, labels);
        SimilarityPlot.Save(Path.Combine(directory, "similarity.png"), similarity, "image × report cosine");
        var summary = new Summary(entries.Count, similarity.MatchedMean, similarity.UnmatchedMean, explained, tsneEffective.Perplexity);
        AtomicFile.WriteAllText(Path.Combine(directory, "summary.json"), JsonSerializer.Serialize(summary, Json.Options));
        return summary;
    }

    private static void WriteEmbeddings(string path, IReadOnlyList<ManifestEntry> entries, Tensor embeddings)
    {
        var values = embeddings.to(float64).contiguous().data<double>().ToArray();
        var d = (int)embeddings.shape[1];
        var csv = new StringBuilder("study_id,patient_id,label");
        for (var k = 0; k < d; k++) csv.Append(CultureInfo.InvariantCulture, $",e{k}");
        csv.Append('\n');
        for (var i = 0; i < entries.Count; i++)
        {
            csv.Append(entries[i].StudyId).Append(',').Append(entries[i].PatientId).Append(',').Append(entries[i].Label);
            for (var k = 0; k < d; k++) csv.Append(',').Append(values[i * d + k].ToString("R", CultureInfo.InvariantCulture));
            csv.Append('\n');
        }
        AtomicFile.WriteAllText(path, csv.ToString());
    }
}
