using System.Globalization;

namespace MerlinAdapt.Training;

/// <summary>One row of metrics.csv.</summary>
public sealed record EpochMetrics(int Epoch, double TrainLoss, double ValLoss, double ValF1, double ValAuc, double Temperature, double LearningRate, double Seconds, double SamplesPerSecond)
{
    public const string Header = "epoch,train_loss,val_loss,val_f1,val_auc,temperature,learning_rate,seconds,samples_per_second";

    public string ToCsv() => string.Join(",", new[] { Epoch.ToString(CultureInfo.InvariantCulture) }
        .Concat(new[] { TrainLoss, ValLoss, ValF1, ValAuc, Temperature, LearningRate, Seconds, SamplesPerSecond }
            .Select(v => double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : "")));

    public static EpochMetrics Parse(string line)
    {
        var f = line.Split(',');
        double D(int i) => f[i].Length == 0 ? double.NaN : double.Parse(f[i], CultureInfo.InvariantCulture);
        return new EpochMetrics(int.Parse(f[0], CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8));
    }
}
