using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Training;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Training;

/// <summary>Merlin's phenotype head beside InfoNCE (ContrastiveStep), its label file (PhenotypeLabels) and precise BatchNorm.</summary>
[Collection("sequential-torch")]
public sealed class PhenotypeTrainingTests
{
    [Fact]
    public void Step_WithPhenotypes_AddsWeightedBce_AndTrainsTheClassifierHead()
    {
        using var scope = NewDisposeScope();
        manual_seed(11);
        var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, AdaptationMode.Full, trainPhenotypeHead: true);
        model.eval();
        var volumes = rand([4, 1, 24, 24, 12]);
        var ids = randint(3, 1000, [4, 10], dtype: int64);
        var mask = ones([4, 10], dtype: int64);
        var labels = tensor(new float[] { 1, 0, 1, 0, 0, 1, 1, 1 }, [4, 2]);

        var contrastiveOnly = new ContrastiveStep(model).Run([new MicroBatch(volumes, ids, mask)], gradCache: false);
        foreach (var p in model.parameters()) p.grad?.zero_();
        var withPhenotypes = new ContrastiveStep(model, phenotypeWeight: 20).Run([new MicroBatch(volumes, ids, mask, labels)], gradCache: false);

        double bce;
        using (no_grad())
        {
            var logits = model.EncodeImage(volumes).Phenotypes.narrow(1, 0, 2).to(float64);
            var y = labels.to(float64);
            // −mean(y log σ(z) + (1 − y) log(1 − σ(z))), written out.
            bce = -(y * nn.functional.logsigmoid(logits) + (1 - y) * nn.functional.logsigmoid(-logits)).mean().ToDouble();
        }
        Assert.Equal(contrastiveOnly + 20 * bce, withPhenotypes, 4);
        var headGrad = model.Image.Network.classifier.weight!.grad!;
        Assert.True(headGrad.narrow(0, 0, 2).abs().sum().ToDouble() > 0);
        Assert.Equal(0, headGrad.narrow(0, 2, headGrad.shape[0] - 2).abs().sum().ToDouble()); // only the labelled outputs learn
    }

    [Fact]
    public void Recompute_GivesTheExactAverageOverTheScans()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 4);
        using var scope = NewDisposeScope();
        manual_seed(3);
        var manifest = MerlinAdapt.Cohorts.Manifest.Load(cohort.Manifest);
        var scans = new MerlinAdapt.Preprocessing.ScanSource(manifest, new MerlinAdapt.Preprocessing.ScanCache(cohort.Cache));
        var ids = manifest.Entries.Select(e => e.StudyId).ToList();
        var model = new MerlinModel(ModelPresets.Tiny);
        var stem = model.Image.Network.bn1;
        // The stem BatchNorm's input does not depend on how the scans are batched: capture it over all of them.
        Tensor? input = null;
        var hook = stem.register_forward_hook((_, x, output) => { input ??= x.detach().clone().DetachFromDisposeScope(); return output; });
        model.eval();
        using (no_grad()) model.EncodeImage(VolumeTensor.Batch(ids.Select(scans.Get)));
        hook.remove();
        var mean = input!.mean([0, 2, 3, 4]).to(float64);
        var unbiasedVar = input.var([0, 2, 3, 4]).to(float64); // PyTorch keeps the unbiased variance as running_var

        // Two equal batches: the cumulative average of the batch means is the mean over all scans.
        BatchNormStatistics.Recompute(model, ids, batchSize: 2, scans);
        Assert.True(TensorAssert.RelativeToMax(mean, stem.running_mean!.to(float64)) < 1e-5);
        // One batch: the running variance is that batch's.
        BatchNormStatistics.Recompute(model, ids, batchSize: ids.Count, scans);
        Assert.True(TensorAssert.RelativeToMax(unbiasedVar, stem.running_var!.to(float64)) < 1e-4);
        Assert.False(model.Image.training); // the caller's mode is kept
        Assert.All(model.Image.modules().OfType<MerlinAdapt.Model.Image.BatchNorm3d>(), bn => Assert.Equal(0.1, bn.momentum));
        input.Dispose();
    }

    [Fact]
    public void Labels_RoundTrip_AndBadFilesAreOneLineErrors()
    {
        using var temp = new TempDirectory();
        var path = temp.File("phenotypes.csv");
        PhenotypeLabels.Write(path, ["HCC", "cirrhosis"], [("s1", [true, false]), ("s2", [false, true])]);
        var labels = PhenotypeLabels.Read(path);
        Assert.Equal(["HCC", "cirrhosis"], labels.Codes);
        Assert.Equal([1f, 0f], labels.Of("s1"));
        Assert.Equal([0f, 1f], labels.Of("s2"));
        Assert.Contains("has no row for study s3", Assert.Throws<InputException>(() => labels.Of("s3")).Message);

        File.WriteAllText(path, "study_id,HCC\ns1,2\n");
        Assert.Contains("line 2, HCC: \"2\" is not 0 or 1", Assert.Throws<InputException>(() => PhenotypeLabels.Read(path)).Message);
        File.WriteAllText(path, "id,HCC\ns1,1\n");
        Assert.Contains("needs a header row", Assert.Throws<InputException>(() => PhenotypeLabels.Read(path)).Message);
        File.WriteAllText(path, "study_id,HCC\ns1,1\ns1,0\n");
        Assert.Contains("appears twice", Assert.Throws<InputException>(() => PhenotypeLabels.Read(path)).Message);
    }

    [Fact]
    public void Recompute_KeepsEachModulesMode_AsAdapterModesTrainWithBatchNormInEval()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 4);
        using var scope = NewDisposeScope();
        var manifest = MerlinAdapt.Cohorts.Manifest.Load(cohort.Manifest);
        var scans = new MerlinAdapt.Preprocessing.ScanSource(manifest, new MerlinAdapt.Preprocessing.ScanCache(cohort.Cache));
        var model = new MerlinModel(ModelPresets.Tiny);
        AdaptationPolicy.Apply(model, AdaptationMode.Peft);
        AdaptationPolicy.Train(model, AdaptationMode.Peft);
        var before = model.Image.Network.bn1.running_mean!.clone();

        BatchNormStatistics.Recompute(model, manifest.Entries.Select(e => e.StudyId), batchSize: 2, scans);

        Assert.True(model.Image.training);
        Assert.All(model.Image.modules().OfType<MerlinAdapt.Model.Image.BatchNorm3d>(), bn => Assert.False(bn.training));
        Assert.False(TensorAssert.Same(before, model.Image.Network.bn1.running_mean!)); // the target scans' statistics
    }

    /// <summary>AdaBN with PEFT: the adapter checkpoint carries the train split's statistics under the final weights.</summary>
    [Fact]
    public void PeftRun_WithPreciseBn_SavesTheTargetStatisticsInItsAdapter()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 8);
        var (code, _, error) = MerlinAdapt.Tests.Cli.CliRunner.Run(["train", "--model", cohort.BaseModel, "--manifest", cohort.Manifest, "--cache", cohort.Cache,
            "--out", cohort.File("run"), "--mode", "peft", "--precise-bn", "--epochs", "1", "--batch-size", "2", "--accumulation", "1", "--threads", "2"]);
        Assert.True(code == 0, error);
        using var scope = NewDisposeScope();
        var (model, _, config) = AdapterFolder.Load(cohort.BaseModel, cohort.File("run/checkpoints/last"));
        using var baseModel = ModelFolder.Load(cohort.BaseModel);
        var saved = model.Image.Network.bn1.running_mean!.clone();
        var manifest = MerlinAdapt.Cohorts.Manifest.Load(cohort.Manifest);
        var scans = new MerlinAdapt.Preprocessing.ScanSource(manifest, new MerlinAdapt.Preprocessing.ScanCache(cohort.Cache));

        BatchNormStatistics.Recompute(model, manifest.Entries.Where(e => e.Split == "train").Select(e => e.StudyId), batchSize: 2, scans);

        Assert.True(config.BatchNormStatistics);
        Assert.True(TensorAssert.RelativeToMax(model.Image.Network.bn1.running_mean!, saved) < 1e-5);
        Assert.False(TensorAssert.Same(baseModel.Image.Network.bn1.running_mean!, saved));
        model.Dispose();
    }

    [Fact]
    public void Create_RefusesPhenotypesOutsideFullMode_AndPreciseBnWithoutTraining()
    {
        using var cohort = new SyntheticTrainingCohort(patients: 4);
        var source = new TrainingRun.Source(cohort.BaseModel, null, null);
        var frozen = new TrainingOptions { Mode = AdaptationMode.Frozen, PreciseBatchNorm = true };
        Assert.Contains("frozen trains nothing", Assert.Throws<InputException>(() => TrainingRun.Create(cohort.File("r1"), source, cohort.Manifest, null, null, frozen)).Message);
        var weighted = new TrainingOptions { Mode = AdaptationMode.Full, PhenotypeWeight = 5 };
        Assert.Contains("needs --phenotypes", Assert.Throws<InputException>(() => TrainingRun.Create(cohort.File("r2"), source, cohort.Manifest, null, null, weighted)).Message);
        var peftWeighted = weighted with { Mode = AdaptationMode.Peft };
        Assert.Contains("only --mode full saves", Assert.Throws<InputException>(() => TrainingRun.Create(cohort.File("r3"), source, cohort.Manifest, null, null, peftWeighted, cohort.Manifest)).Message);
    }
}
