using MerlinAdapt.Analysis;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Reporting;

public sealed class DemoTableTests
{
    [Fact]
    public void Summary_SaysWhichCheckpointEachAdaptationEvaluated()
    {
        var metrics = MetricsReport.Compute([1, 0, 1, 0], [1, 0, 0, 0], [0.9, 0.1, 0.4, 0.2], ["a", "b", "c", "d"], resamples: 20, seed: 1);
        DemoRow[] rows =
        [
            new("Pretrained on A, zero-shot", "frozen", metrics, 0, 10, null),
            new("Adapted to B, PEFT", "peft", metrics, 2, 12, null, BestEpoch: 0),
            new("Adapted to B, full fine-tuning", "full", metrics, 10, 10, null, BestEpoch: 3),
        ];

        var summary = DemoTable.Summary(new TwoHospitalDemoOptions(), rows, [("pretrain on A", TimeSpan.FromSeconds(3))],
            new EpochMetrics(21, 1, 1, 0.9, 0.95, 0.07, 1e-3, 1, 1));

        Assert.Contains("- Adapted to B, PEFT: F1 ", summary);
        Assert.Contains("zero-shot; no contrastive epoch beat the starting model on B's validation split, so the starting model is what was evaluated.", summary);
        Assert.Contains("zero-shot; the checkpoint of epoch 3, the best on B's validation split.", summary);
        Assert.Contains("its best epoch (22)", summary);
    }
}
