using MerlinAdapt.Cli;
using MerlinAdapt.Cli.Commands;
using MerlinAdapt.Tests.Cli;
using MerlinAdapt.Training;

namespace MerlinAdapt.Tests.Training;

[Collection("sequential-torch")]
public sealed class InterruptTests
{
    /// <summary>Ctrl-C mid-epoch: the current step finishes, checkpoints/last is written, and resuming ends like an uninterrupted run.</summary>
    [Fact]
    public void InterruptMidEpoch_ThenResume_MatchesAnUninterruptedRun()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 12);
        string[] args = ["train", "--model", cohort.BaseModel, "--manifest", cohort.Manifest, "--cache", cohort.Cache, "--batch-size", "2",
            "--accumulation", "1", "--epochs", "2", "--patience", "9", "--lr", "5e-3", "--threads", "2", "--seed", "9"];
        var straight = CliRunner.Run([.. args, "--out", cohort.File("straight")]);
        Assert.True(straight.Code == 0, straight.Err);

        // A run whose Ctrl-C arrives before its first step: it does one step, saves, and stops.
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var error = new StringWriter();
        var context = new CliContext(TextWriter.Null, error, cancelled.Token);
        var parse = CliApp.BuildRoot(context).Parse([.. args, "--out", cohort.File("interrupted")]);
        Assert.True(parse.Invoke() == 0, error.ToString());
        var state = new RunFolder(cohort.File("interrupted")).ReadState("last");
        Assert.Equal((0, 1), (state.Epoch, state.StepInEpoch));

        var resumed = CliRunner.Run("train", "--resume", cohort.File("interrupted"), "--threads", "2");
        Assert.True(resumed.Code == 0, resumed.Err);

        var a = new RunFolder(cohort.File("straight")).ReadMetrics();
        var b = new RunFolder(cohort.File("interrupted")).ReadMetrics();
        Assert.Equal(a.Select(m => m with { Seconds = 0, SamplesPerSecond = 0 }), b.Select(m => m with { Seconds = 0, SamplesPerSecond = 0 }));
    }
}
