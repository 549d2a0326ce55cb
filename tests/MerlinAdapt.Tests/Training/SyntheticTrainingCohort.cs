using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Model;
using MerlinAdapt.Tests.Cli;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Training;

/// <summary>
/// An easy synthetic task for training tests: HCC scans carry a large hyperdense liver lesion and a report saying so,
/// negatives a normal liver; split by patient; prepared into a small cache; a tiny base model with the fixture
/// tokenizer. Everything goes through the real commands (prepare, split).
/// </summary>
internal sealed class SyntheticTrainingCohort : IDisposable
{
    private readonly TempDirectory _temp = new();

    public SyntheticTrainingCohort(int patients = 24, int seed = 3, string ratios = "0.5,0.5,0")
    {
        Directory.CreateDirectory(_temp.File("scans"));
        var lines = new List<string> { "patient_id,study_id,image,report,label" };
        var random = new Random(seed);
        for (var i = 0; i < patients; i++)
        {
            var hcc = i % 2 == 0;
            var lesions = hcc ? new[] { new SyntheticLesion(55 + random.Next(-10, 10), 15, 40 + random.Next(-15, 15), 40, 420) } : [];
            SyntheticCtGenerator.Write(new SyntheticScanSpec { Size = [28, 24, 14], Spacing = [12, 12, 24], Seed = seed * 100 + i, Lesions = lesions },
                _temp.File($"scans/s{i}.nii.gz"));
            var report = hcc
                ? "Liver: large arterially enhancing mass with washout, consistent with hepatocellular carcinoma."
                : "Liver: normal size and attenuation. No focal liver lesion.";
            lines.Add($"p{i},s{i},scans/s{i}.nii.gz,\"{report}\",{(hcc ? "HCC" : "negative")}");
        }
        System.IO.File.WriteAllLines(_temp.File("all.csv"), lines);
        Check(CliRunner.Run("split", "--manifest", _temp.File("all.csv"), "--ratios", ratios, "--seed", "1", "--out", Manifest));
        Check(CliRunner.Run("prepare", "--manifest", Manifest, "--out", Cache, "--spacing", "12,12,24", "--size", "32,32,16"));
        manual_seed(seed);
        using var model = new MerlinModel(ModelPresets.Tiny with { Text = ModelPresets.Tiny.Text! with { VocabSize = 50265 } });
        ModelFolder.Save(model, BaseModel, Fixtures.Path("tokenizer/tokenizer.json"));
    }

    public string Manifest => _temp.File("manifest.csv");
    public string Cache => _temp.File("cache");
    public string BaseModel => _temp.File("base");
    public string File(string name) => _temp.File(name);

    private static void Check((int Code, string Out, string Err) run)
    {
        if (run.Code != 0) throw new InvalidOperationException(run.Err);
    }

    public void Dispose() => _temp.Dispose();
}

/// <summary>Training tests use the global random generator (dropout, shuffles): they must not run beside other tests.</summary>
[CollectionDefinition("sequential-torch", DisableParallelization = true)]
public sealed class SequentialTorchCollection;
