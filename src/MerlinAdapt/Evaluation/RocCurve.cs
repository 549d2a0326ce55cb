namespace MerlinAdapt.Evaluation;

/// <summary>
/// The ROC curve and AUC exactly as scikit-learn 1.2.1 computes them (fixtures/metrics/README.md): one point per
/// distinct score from the highest down, optionally without collinear intermediate points, then (0, 0) prepended
/// with threshold max(score) + 1. AUC counts a tied positive–negative pair as ½ (the Mann–Whitney statistic).
/// </summary>
public sealed record RocCurve(double[] FalsePositiveRate, double[] TruePositiveRate, double[] Thresholds)
{
    public static RocCurve Of(IReadOnlyList<int> truth, IReadOnlyList<double> score, bool dropIntermediate = true)
    {
        var order = Enumerable.Range(0, score.Count).OrderByDescending(i => score[i]).ToArray();
        var fps = new List<double>();
        var tps = new List<double>();
        var thresholds = new List<double>();
        double fp = 0, tp = 0;
        for (var k = 0; k < order.Length; k++)
        {
            var i = order[k];
            if (truth[i] == 1) tp++; else fp++;
            if (k + 1 < order.Length && score[order[k + 1]] == score[i]) continue;
            fps.Add(fp);
            tps.Add(tp);
            thresholds.Add(score[i]);
        }
        if (dropIntermediate && fps.Count > 2)
        {
            var keep = new List<int> { 0 };
            for (var i = 1; i < fps.Count - 1; i++)
                if (fps[i - 1] - 2 * fps[i] + fps[i + 1] != 0 || tps[i - 1] - 2 * tps[i] + tps[i + 1] != 0) keep.Add(i);
            keep.Add(fps.Count - 1);
            (fps, tps, thresholds) = (keep.Select(i => fps[i]).ToList(), keep.Select(i => tps[i]).ToList(), keep.Select(i => thresholds[i]).ToList());
        }
        var first = thresholds.Count > 0 ? thresholds[0] + 1 : 1;
        fps.Insert(0, 0);
        tps.Insert(0, 0);
        thresholds.Insert(0, first);
        double maxFp = fps[^1], maxTp = tps[^1];
        return new RocCurve(fps.Select(f => f / maxFp).ToArray(), tps.Select(t => t / maxTp).ToArray(), thresholds.ToArray());
    }

    /// <summary>ROC-AUC, or NaN when the truth holds one class only (scikit-learn raises there).</summary>
    public static double Auc(IReadOnlyList<int> truth, IReadOnlyList<double> score)
    {
        var n = truth.Count;
        var positives = truth.Count(t => t == 1);
        var negatives = n - positives;
        if (positives == 0 || negatives == 0) return double.NaN;
        // Average ranks (ties share their mean rank), then Mann–Whitney U.
        var order = Enumerable.Range(0, n).OrderBy(i => score[i]).ToArray();
        double rankSumPositives = 0;
        for (var start = 0; start < n;)
        {
            var end = start;
            while (end + 1 < n && score[order[end + 1]] == score[order[start]]) end++;
            var rank = (start + end) / 2.0 + 1;
            for (var k = start; k <= end; k++)
                if (truth[order[k]] == 1) rankSumPositives += rank;
            start = end + 1;
        }
        return (rankSumPositives - positives * (positives + 1) / 2.0) / ((double)positives * negatives);
    }
}
