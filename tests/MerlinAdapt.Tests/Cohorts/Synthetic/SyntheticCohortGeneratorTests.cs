using MerlinAdapt.Cohorts;
using MerlinAdapt.Cohorts.Synthetic;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Cohorts.Synthetic;

public sealed class SyntheticCohortGeneratorTests
{
    private static readonly SyntheticCohortOptions Small = new() { Patients = 12, Seed = 5 };

    [Fact]
    public void Write_SameOptions_ByteIdenticalFiles()
    {
        using var one = new TempDirectory();
        using var two = new TempDirectory();
        var options = Small with { Patients = 5, Size = [40, 36, 20] };
        var a = new SyntheticCohortGenerator(options).Write(one.Path, cancel: TestContext.Current.CancellationToken);
        new SyntheticCohortGenerator(options).Write(two.Path, cancel: TestContext.Current.CancellationToken);

        var files = Directory.GetFiles(one.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(one.Path, f)).Order().ToList();
        Assert.Equal(files, Directory.GetFiles(two.Path, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(two.Path, f)).Order());
        Assert.Contains("manifest.csv", files);
        Assert.Contains("tokenizer.json", files);
        Assert.Equal(a.Studies.Count * 2 + 3, files.Count); // scans, reports, manifest, tokenizer, phenotypes
        foreach (var file in files)
            Assert.True(File.ReadAllBytes(Path.Combine(one.Path, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(two.Path, file))), file);

        var other = new SyntheticCohortGenerator(options with { Seed = 6 }).Plan();
        Assert.NotEqual(a.Studies.Select(s => s.Report), other.Select(s => s.Report));
    }

    [Fact]
    public void Write_BothHospitals_ShareOneTokenizer_WithoutUnknownWords()
    {
        using var a = new TempDirectory();
        using var b = new TempDirectory();
        var resultA = new SyntheticCohortGenerator(Small with { Hospital = HospitalProfile.A, Patients = 3, Seed = 11 }).Write(a.Path, cancel: TestContext.Current.CancellationToken);
        var resultB = new SyntheticCohortGenerator(Small with { Hospital = HospitalProfile.B, Patients = 3, Seed = 12 }).Write(b.Path, cancel: TestContext.Current.CancellationToken);
        var larger = new[] { HospitalProfile.A, HospitalProfile.B }.SelectMany(h => new SyntheticCohortGenerator(Small with { Hospital = h, Patients = 200, Seed = 13 }).Plan());

        // A model pretrained with hospital A's tokenizer reads hospital B's reports (and other cohorts') without <unk>.
        Assert.Equal(File.ReadAllText(resultA.TokenizerPath), File.ReadAllText(resultB.TokenizerPath));
        using var tokenizer = MerlinAdapt.Model.Tokenization.TextTokenizer.Load(resultA.TokenizerPath);
        var unknown = Array.IndexOf(MerlinAdapt.Model.Tokenization.WordLevelTokenizerJson.SpecialTokens, "<unk>");
        foreach (var report in larger.Select(s => s.Report))
            Assert.DoesNotContain(unknown, tokenizer.Encode(MerlinAdapt.Reports.ReportSanitizer.Sanitize(report)));
    }

    [Fact]
    public void Write_ManifestLoads_WithLabelsFromTheGenerator()
    {
        using var temp = new TempDirectory();
        var result = new SyntheticCohortGenerator(Small with { Size = [40, 36, 20] }).Write(temp.Path, cancel: TestContext.Current.CancellationToken);
        var manifest = Manifest.Load(result.ManifestPath);

        Assert.Equal(result.Studies.Count, manifest.Entries.Count);
        Assert.Equal(12, result.Patients);
        Assert.Equal(6, result.Studies.Select(s => s.PatientId).Distinct().Count(p => result.Studies.First(s => s.PatientId == p).Label == "HCC"));
        foreach (var (entry, study) in manifest.Entries.Zip(result.Studies))
        {
            Assert.Equal(study.Label, entry.Label);
            Assert.Equal(study.Findings.Any(f => f.Kind == LiverFindingKind.Hcc) ? "HCC" : "negative", entry.Label);
            Assert.Equal("portal_venous", entry.Phase);
            Assert.Equal("", entry.Split);
            Assert.Equal(study.Report, File.ReadAllText(Path.Combine(temp.Path, entry.Report)));
            Assert.True(File.Exists(manifest.ImagePath(entry)));
        }
    }

    /// <summary>Positives hold tumour voxels at the tumour's HU, well below the liver; negatives have no such voxels in the liver.</summary>
    [Theory]
    [InlineData("A")]
    [InlineData("B")]
    public void Scans_PositivesHaveWashoutLesionsInTheLiver_NegativesDoNot(string hospital)
    {
        var studies = new SyntheticCohortGenerator(Small with { Hospital = HospitalProfile.Named(hospital), Patients = 16 }).Plan();
        Assert.Contains(studies, s => s.Label == "HCC");
        Assert.Contains(studies, s => s.Label == "negative");
        foreach (var study in studies)
        {
            var volume = SyntheticCtGenerator.Generate(study.Scan with { NoiseHu = 0 });
            var liverVoxels = LiverVoxels(volume, study.Scan.Anatomy!).ToList();
            // 50–80 HU below the liver, but never below 15 HU (water): B's darker liver leaves less room.
            var minimumWashout = Math.Min(50, study.LiverHu - 15);
            var washout = liverVoxels.Count(v => v >= 15 && v <= study.LiverHu - minimumWashout);
            if (study.Label == "HCC")
            {
                foreach (var tumour in study.Findings.Where(f => f.Kind == LiverFindingKind.Hcc && !f.Treated))
                {
                    Assert.InRange(tumour.RadiusMm, 12, 45);
                    Assert.InRange(study.LiverHu - tumour.Hu, minimumWashout, 80);
                    Assert.Equal((float)tumour.Hu, At(volume, tumour.X, tumour.Y, tumour.Z));
                }
                Assert.True(washout > 20, $"{study.StudyId}: {washout} wash-out voxels");
            }
            else
            {
                Assert.DoesNotContain(study.Findings, f => f.Kind == LiverFindingKind.Hcc);
                Assert.Equal(0, washout);
            }
        }
    }

    [Fact]
    public void Hospitals_DifferInGeometryNoiseOrientationAndContrast()
    {
        var a = new SyntheticCohortGenerator(Small with { Patients = 30 }).Plan();
        var b = new SyntheticCohortGenerator(Small with { Patients = 30, Hospital = HospitalProfile.B }).Plan();

        Assert.All(a, s => Assert.Equal(AxisConvention.Lps, s.Scan.Convention));
        Assert.Contains(b, s => s.Scan.Convention == AxisConvention.Ras);
        Assert.All(a, s => Assert.Equal(6.0, s.Scan.Spacing[2]));
        Assert.All(b, s => Assert.Equal(7.0, s.Scan.Spacing[2]));
        Assert.True(b.Min(s => s.Scan.Spacing[0]) > a.Max(s => s.Scan.Spacing[0]) - 0.7, "B's field of view is wider");
        Assert.True(b.Average(s => s.Scan.NoiseHu) > a.Average(s => s.Scan.NoiseHu) + 3);
        Assert.InRange(a.Average(s => s.LiverHu) - b.Average(s => s.LiverHu), 20, 40); // the lower iodine dose
        var aorta = (IReadOnlyList<SyntheticStudy> c) => c.Average(s => s.Scan.Anatomy!.Single(x => x.Name == "aorta").Hu);
        Assert.True(aorta(b) > aorta(a) + 20);
    }

    [Fact]
    public void Plan_FollowUpsKeepThePatientsFindings_AndSomeAreTreated()
    {
        var studies = new SyntheticCohortGenerator(Small with { Patients = 60 }).Plan();
        var followUps = studies.Where(s => s.ScanNumber == 2).ToList();
        Assert.NotEmpty(followUps);
        foreach (var second in followUps)
        {
            var first = studies.Single(s => s.PatientId == second.PatientId && s.ScanNumber == 1);
            Assert.Equal(first.Label, second.Label);
            Assert.Equal(first.Findings.Select(f => (f.Kind, f.Segment)), second.Findings.Select(f => (f.Kind, f.Segment)));
            Assert.NotEqual(first.Scan.Seed, second.Scan.Seed);
        }
        Assert.Contains(studies, s => s.Findings.Any(f => f.Treated) && s.Report.Contains("TACE", StringComparison.Ordinal));
        Assert.All(studies, s =>
        {
            var tumours = s.Findings.Where(f => f.Kind == LiverFindingKind.Hcc).Select(f => f.RadiusMm).ToList();
            Assert.Equal(tumours.OrderDescending(), tumours); // the index lesion, which reports size and TACE treats, is the largest
        });
        Assert.Contains(studies, s => s.Background == LiverBackground.Fatty);
        Assert.Contains(studies, s => s.Background == LiverBackground.Cirrhotic && s.Label == "negative");
        Assert.Contains(studies, s => s.Findings.Any(f => f.Kind == LiverFindingKind.Cyst) && s.Label == "negative");
        Assert.Contains(studies, s => s.Findings.Any(f => f.Kind == LiverFindingKind.Haemangioma));
    }

    [Theory]
    [InlineData(0, 64)]
    [InlineData(10, 8)]
    public void Constructor_RejectsBadOptions(int patients, int size)
    {
        Assert.Throws<InputException>(() => new SyntheticCohortGenerator(Small with { Patients = patients, Size = [size, 56, 32] }));
        Assert.Throws<InputException>(() => HospitalProfile.Named("C"));
    }

    private static float At(Volume volume, double x, double y, double z)
    {
        var (i, j, k) = volume.Affine.Inverse().Apply(x, y, z);
        return volume[(int)Math.Round(i), (int)Math.Round(j), (int)Math.Round(k)];
    }

    /// <summary>Voxels whose anatomy is liver parenchyma (no organ painted over it), whatever lesion was painted there.</summary>
    private static IEnumerable<float> LiverVoxels(Volume volume, IReadOnlyList<PhantomShape> anatomy)
    {
        for (var k = 0; k < volume.SizeZ; k++)
            for (var j = 0; j < volume.SizeY; j++)
                for (var i = 0; i < volume.SizeX; i++)
                {
                    var (x, y, z) = volume.Affine.Apply(i, j, k);
                    var tissue = anatomy.LastOrDefault(s => s.Contains(x, y, z));
                    if (tissue?.Name is "liver" or "regenerative nodule") yield return volume[i, j, k];
                }
    }
}
