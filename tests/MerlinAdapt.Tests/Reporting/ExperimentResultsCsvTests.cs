using System.Globalization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Reporting;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Reporting;

public sealed class ExperimentResultsCsvTests
{
    [Fact]
    public void Write_GivesEachMetricWithItsInterval_AndQuotesAnErrorMessage()
    {
        using var temp = new TempDirectory();
        var metrics = MetricsReport.Compute([1, 0, 1, 0], [1, 0, 0, 0], [0.9, 0.1, 0.4, 0.2], ["a", "b", "c", "d"], resamples: 20, seed: 1);
        CellResult[] results =
        [
            new(new ExperimentCell("peft_t0.07", new TrainingOptions { Mode = AdaptationMode.Peft, Temperature = 0.07 }), CellStatus.Done)
            {
                Epochs = 7, BestEpoch = 2, FinalTemperature = 0.25, Metrics = metrics, CosSim = 0.5, TrainableParameters = 12, TotalParameters = 1000,
            },
            new(new ExperimentCell("full_t10", new TrainingOptions { Mode = AdaptationMode.Full, Temperature = 10 }), CellStatus.Failed) { Error = "x.nii: bad, \"really\"" },
        ];

        ExperimentResultsCsv.Write(temp.File("results.csv"), results);

        var lines = File.ReadAllLines(temp.File("results.csv"));
        Assert.Equal(ExperimentResultsCsv.Header, lines[0]);
        var f1 = metrics.Metrics["f1"];
        string R(double? v) => v!.Value.ToString("R", CultureInfo.InvariantCulture);
        Assert.StartsWith($"peft_t0.07,peft,0.07,done,7,2,0.25,{R(f1.Value)},{R(f1.Ci95[0])},{R(f1.Ci95[1])},", lines[1]);
        Assert.EndsWith(",0.5,12,1000,", lines[1]);
        Assert.Equal("full_t10,full,10,failed,,,,,,,,,,,,,,,,,,,,,,\"x.nii: bad, \"\"really\"\"\"", lines[2]);
    }
}
