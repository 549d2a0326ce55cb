using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Reporting;

public sealed class ExperimentTextTests
{
    [Theory]
    [InlineData(3, " (best epoch 3 of 7)")]
    [InlineData(0, " (best before training, of 7 epochs)")]
    [InlineData(null, "")]
    public void Describe_NamesTheCheckpointEvaluated(int? bestEpoch, string ending)
    {
        var metrics = MetricsReport.Compute([1, 0, 1, 0], [1, 0, 0, 0], [0.9, 0.1, 0.4, 0.2], ["a", "b", "c", "d"], resamples: 20, seed: 1);
        var result = new CellResult(new ExperimentCell("peft", new TrainingOptions { Mode = AdaptationMode.Peft }), CellStatus.Done)
        {
            Epochs = 7, BestEpoch = bestEpoch, Metrics = metrics,
        };

        var text = ExperimentText.Describe(result);

        Assert.StartsWith("F1 ", text);
        Assert.EndsWith("AUC " + MetricsTable.Cell(metrics.Metrics["roc_auc"]) + ending, text);
    }
}
