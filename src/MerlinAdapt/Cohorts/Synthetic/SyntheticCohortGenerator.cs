using MerlinAdapt.Evaluation;
using MerlinAdapt.Model.Tokenization;

namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// A synthetic cohort of one hospital (issue 9): patients with one or more portal-venous abdominal CTs drawn by
/// <see cref="SyntheticCtGenerator"/> and a report for each written from the generated findings. Half the patients
/// (by default) have HCC — 1–3 lesions of 16–41 mm radius (the index lesion at least 22 mm), 50–80 HU darker than the liver (never below 15 HU) (portal-venous wash-out),
/// most with an enhancing capsule rim, some cirrhotic, some treated by TACE at follow-up; the others have a normal,
/// fatty or cirrhotic liver, simple cysts or haemangiomas. Labels come from the generator, never from report text.
/// </summary>
/// <remarks>
/// Lesion sizes and contrasts are chosen to be visible at the small default grid (6–7.5 mm voxels): a probe with
/// 60 HU lesions of 3–4 voxels' radius learned nothing (issue 9), so tumours here span 5–14 voxels across; the index
/// tumour is at least 22 mm in radius so that it still spans 5 voxels on the demo's coarser 8 mm grid.
/// Everything is drawn from one seed in a fixed order, so the same options give byte-identical files.
/// </remarks>
public sealed class SyntheticCohortGenerator
{
    /// <summary>The phenotype columns of phenotypes.csv, in classifier-head order.</summary>
    public static readonly string[] PhenotypeCodes = ["HCC", "cirrhosis", "fatty_liver", "liver_cyst", "haemangioma"];

    private static readonly string[] BodyWall = ["subcutaneous fat", "abdominal wall muscle", "visceral fat"];
    private static readonly string[] Vessels = ["portal vein", "right hepatic vein", "middle hepatic vein", "aorta", "inferior vena cava"];

    /// <exception cref="InputException">Fewer than one patient, a grid under 16 voxels, or a prevalence outside [0, 1].</exception>
    public SyntheticCohortGenerator(SyntheticCohortOptions options)
    {
        if (options.Patients < 1) throw new InputException("--patients", $"must be at least 1, got {options.Patients}");
        if (options.Size is not { Length: 3 } || options.Size.Any(s => s < 16 || s > 512))
            throw new InputException("--size", $"needs three sizes of 16 to 512 voxels, got {string.Join(",", options.Size ?? [])}");
        if (options.Prevalence is < 0 or > 1) throw new InputException("--prevalence", $"must be between 0 and 1, got {options.Prevalence}");
        if (options.FollowUpFraction is < 0 or > 1) throw new InputException("--follow-up", $"must be between 0 and 1, got {options.FollowUpFraction}");
        Options = options;
    }

    public SyntheticCohortOptions Options { get; }

    /// <summary>Every study of the cohort with its findings, scan spec and report; nothing is written.</summary>
    public IReadOnlyList<SyntheticStudy> Plan()
    {
        var hospital = Options.Hospital;
        var master = new Random(unchecked(Options.Seed * 7_919 + hospital.Name[0]));
        // Exactly round(N × prevalence) positives, in shuffled order, so a small cohort still has both classes.
        var positives = (int)Math.Round(Options.Patients * Options.Prevalence);
        var order = Enumerable.Range(0, Options.Patients).ToArray();
        master.Shuffle(order);
        var studies = new List<SyntheticStudy>();
        for (var p = 0; p < Options.Patients; p++)
        {
            var random = new Random(master.Next());
            studies.AddRange(Patient($"{hospital.Name}-{p + 1:D4}", order[p] < positives, random));
        }
        return studies;
    }

    /// <summary>
    /// Writes <c>scans/*.nii.gz</c>, <c>reports/*.txt</c>, <c>manifest.csv</c> (report = the .txt path, label,
    /// phase portal_venous, split empty) and <c>tokenizer.json</c> (a word-level tokenizer over the reports and the
    /// built-in prompts) under <paramref name="directory"/>, each file atomically.
    /// </summary>
    public SyntheticCohortResult Write(string directory, IProgress<SyntheticCohortProgress>? progress = null, CancellationToken cancel = default)
    {
        var studies = Plan();
        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(Path.Combine(root, "scans"));
        Directory.CreateDirectory(Path.Combine(root, "reports"));
        var done = 0;
        var gate = new object();
        Parallel.ForEach(studies, new ParallelOptions { CancellationToken = cancel, MaxDegreeOfParallelism = Environment.ProcessorCount }, study =>
        {
            SyntheticCtGenerator.Write(study.Scan, Path.Combine(root, ImagePath(study)));
            AtomicFile.WriteAllText(Path.Combine(root, ReportPath(study)), study.Report);
            lock (gate) progress?.Report(new SyntheticCohortProgress(++done, studies.Count));
        });

        var manifestPath = Path.Combine(root, "manifest.csv");
        var entries = studies.Select(s => new ManifestEntry
        {
            PatientId = s.PatientId,
            StudyId = s.StudyId,
            Image = ImagePath(s),
            Report = ReportPath(s),
            Label = s.Label,
            Phase = "portal_venous",
        }).ToList();
        new Manifest(manifestPath, entries).Save(manifestPath);

        var tokenizerPath = Path.Combine(root, "tokenizer.json");
        AtomicFile.WriteAllText(tokenizerPath, WordLevelTokenizerJson.Build(ReferenceReports.Value.Concat(studies.Select(s => s.Report)).Concat(PromptTexts())));
        // What an EHR would hold for these patients: the labels of Merlin's phenotype head (`train --phenotypes`).
        var phenotypesPath = Path.Combine(root, "phenotypes.csv");
        Training.PhenotypeLabels.Write(phenotypesPath, PhenotypeCodes, studies.Select(s => (s.StudyId, (IReadOnlyList<bool>)
        [
            s.Label == SyntheticStudy.Positive, s.Background == LiverBackground.Cirrhotic, s.Background == LiverBackground.Fatty,
            s.Findings.Any(f => f.Kind == LiverFindingKind.Cyst), s.Findings.Any(f => f.Kind == LiverFindingKind.Haemangioma),
        ])));
        return new SyntheticCohortResult(root, manifestPath, tokenizerPath, studies) { PhenotypesPath = phenotypesPath };
    }

    /// <summary>
    /// Reports of every hospital's style from a fixed seed: the tokenizer's vocabulary covers all of them, so every
    /// synthetic cohort writes the same tokenizer.json (as every real hospital shares Clinical-Longformer's) and a
    /// model pretrained on hospital A reads hospital B's wording without unknown tokens.
    /// </summary>
    private static readonly Lazy<IReadOnlyList<string>> ReferenceReports = new(() =>
        new[] { HospitalProfile.A, HospitalProfile.B }
            .SelectMany(h => new SyntheticCohortGenerator(new SyntheticCohortOptions { Hospital = h, Patients = 600, Seed = 20_260_101 }).Plan())
            .Select(s => s.Report).ToList());

    /// <summary>The built-in prompt sets' texts, so that zero-shot prompts tokenize without unknown words.</summary>
    private static IEnumerable<string> PromptTexts() =>
        PromptSet.BuiltIn.SelectMany(name => PromptSet.Load(name).Classes.Values.SelectMany(p => p));

    private static string ImagePath(SyntheticStudy s) => $"scans/{s.StudyId}.nii.gz";

    private static string ReportPath(SyntheticStudy s) => $"reports/{s.StudyId}.txt";

    private IEnumerable<SyntheticStudy> Patient(string patientId, bool hcc, Random random)
    {
        var hospital = Options.Hospital;
        var background = hcc
            ? (random.NextDouble() < 0.45 ? LiverBackground.Cirrhotic : LiverBackground.Normal)
            : Pick(random, (LiverBackground.Normal, 0.65), (LiverBackground.Fatty, 0.2), (LiverBackground.Cirrhotic, 0.15));
        var bodyScale = Uniform(random, 0.93, 1.07);
        var liver = SyntheticLiver.Scaled(Uniform(random, 0.94, 1.05) * (background == LiverBackground.Cirrhotic ? 0.86 : 1.0));
        var liverHu = 100 + hospital.LiverEnhancementHu + Uniform(random, -6, 6)
            - (background == LiverBackground.Fatty ? Uniform(random, 30, 55) : 0);
        // Lesions must fit the narrowest field of view this patient's scans may get (pixel size jitters by ±5 %).
        double[] half = [Options.Size[0] * hospital.PixelMm * 0.95 / 2, Options.Size[1] * hospital.PixelMm * 0.95 / 2, Options.Size[2] * hospital.SliceMm / 2];

        var findings = new List<LiverFinding>();
        if (hcc)
        {
            var count = Pick(random, (1, 0.6), (2, 0.3), (3, 0.1));
            for (var n = 0; n < count; n++)
            {
                var radius = n == 0 ? Uniform(random, 22, 41) : Uniform(random, 16, 28);
                var capsule = random.NextDouble() < 0.6;
                // Kept above water (15 HU) so a tumour never reads as a cyst, whatever the hospital's liver enhancement.
                var hu = Math.Max(15, liverHu - Uniform(random, 50, 80));
                findings.Add(Lesion(LiverFindingKind.Hcc, radius, hu, liver, half, findings, random, capsule));
            }
            // The largest tumour first: reports call it the index lesion, and TACE treats it.
            findings.Sort((x, y) => y.RadiusMm.CompareTo(x.RadiusMm));
            if (random.NextDouble() < 0.1) findings.Add(Lesion(LiverFindingKind.Cyst, Uniform(random, 6, 15), Uniform(random, 0, 12), liver, half, findings, random));
        }
        else
        {
            var confounder = background == LiverBackground.Normal
                ? Pick<LiverFindingKind?>(random, (null, 0.45), (LiverFindingKind.Cyst, 0.3), (LiverFindingKind.Haemangioma, 0.25))
                : null;
            if (confounder == LiverFindingKind.Cyst)
                for (var n = Pick(random, (1, 0.6), (2, 0.3), (3, 0.1)); n > 0; n--)
                    findings.Add(Lesion(LiverFindingKind.Cyst, Uniform(random, 6, 15), Uniform(random, 0, 12), liver, half, findings, random));
            if (confounder == LiverFindingKind.Haemangioma)
                for (var n = Pick(random, (1, 0.75), (2, 0.25)); n > 0; n--)
                    findings.Add(Lesion(LiverFindingKind.Haemangioma, Uniform(random, 10, 25), liverHu + Uniform(random, 40, 70), liver, half, findings, random));
        }
        var nodules = new List<PhantomShape>();
        if (background == LiverBackground.Cirrhotic)
            for (var n = random.Next(15, 26); n > 0; n--)
            {
                var r = Uniform(random, 5, 9);
                if (liver.Place(r, 0, half, [], random) is { } c)
                    nodules.Add(new PhantomShape("regenerative nodule", c.X, c.Y, c.Z, r, r, r, liverHu + Uniform(random, -15, 15)));
            }

        var scans = random.NextDouble() < Options.FollowUpFraction ? 2 : 1;
        for (var scan = 1; scan <= scans; scan++)
        {
            var current = findings;
            if (scan > 1)
            {
                // Follow-up: tumours grow a little; half the HCC patients have had their largest tumour treated by TACE.
                var treat = hcc && random.NextDouble() < 0.5;
                current = findings.Select((f, i) => f.Kind == LiverFindingKind.Hcc
                    ? f with { RadiusMm = f.RadiusMm * Uniform(random, 1.0, 1.08), Treated = treat && i == 0 }
                    : f).ToList();
            }
            var pixel = hospital.PixelMm * Jitter(random);
            var spec = new SyntheticScanSpec
            {
                Size = [.. Options.Size],
                Spacing = [pixel, pixel, hospital.SliceMm],
                Convention = random.NextDouble() < hospital.LpsFraction ? AxisConvention.Lps : AxisConvention.Ras,
                NoiseHu = Math.Round(hospital.NoiseHu * Uniform(random, 0.85, 1.15), 1),
                Seed = random.Next(),
                Lesions = LesionShapes(current, liverHu),
            };
            spec = spec with { Anatomy = Anatomy(hospital, background, bodyScale, liver, liverHu, nodules, random) };
            var study = new SyntheticStudy
            {
                PatientId = patientId,
                StudyId = $"{patientId}-s{scan}",
                ScanNumber = scan,
                Hospital = hospital,
                Label = hcc ? SyntheticStudy.Positive : SyntheticStudy.Negative,
                Background = background,
                Findings = current,
                Liver = liver,
                Scan = spec,
                LiverHu = liverHu,
                Report = "",
            };
            yield return study with { Report = SyntheticReportWriter.Write(study, random) };
        }
    }

    private static LiverFinding Lesion(LiverFindingKind kind, double radius, double hu, SyntheticLiver liver, double[] half,
        IReadOnlyList<LiverFinding> others, Random random, bool capsule = false)
    {
        for (var shrink = 0; shrink < 10; shrink++, radius *= 0.85)
            if (liver.Place(radius, capsule ? 6 : 2, half, others, random) is { } c)
                return new LiverFinding(kind, c.X, c.Y, c.Z, radius, hu, liver.Segment(c.X, c.Y, c.Z), capsule);
        throw new InputException("--size", "the field of view is too small to show liver lesions; use a larger grid");
    }

    /// <summary>Spheres in painting order: the capsule rim, then the tumour over it, then a TACE lipiodol deposit.</summary>
    private static IReadOnlyList<SyntheticLesion> LesionShapes(IEnumerable<LiverFinding> findings, double liverHu)
    {
        var spheres = new List<SyntheticLesion>();
        foreach (var f in findings)
        {
            // The capsule enhances in the portal-venous phase (LI-RADS "enhancing capsule"): a 5 mm rim above the liver.
            if (f.Capsule) spheres.Add(new SyntheticLesion(f.X, f.Y, f.Z, f.RadiusMm + 5, liverHu + 40));
            spheres.Add(new SyntheticLesion(f.X, f.Y, f.Z, f.RadiusMm, f.Hu));
            if (f.Treated) spheres.Add(new SyntheticLesion(f.X, f.Y, f.Z, f.RadiusMm * 0.45, 650));
        }
        return spheres;
    }

    private static List<PhantomShape> Anatomy(HospitalProfile hospital, LiverBackground background, double bodyScale,
        SyntheticLiver liver, double liverHu, IReadOnlyList<PhantomShape> nodules, Random random)
    {
        var shapes = new List<PhantomShape>();
        foreach (var shape in AbdomenPhantom.Shapes())
        {
            if (BodyWall.Contains(shape.Name))
                shapes.Add(shape with { RadiusX = shape.RadiusX * bodyScale, RadiusY = shape.RadiusY * bodyScale });
            else if (shape.Name == "liver")
            {
                shapes.Add(shape with { RadiusX = liver.RadiusX, RadiusY = liver.RadiusY, RadiusZ = liver.RadiusZ, Hu = liverHu });
                shapes.AddRange(nodules);
            }
            else if (shape.Name == "spleen")
            {
                // Portal hypertension enlarges the spleen in cirrhosis.
                var grow = background == LiverBackground.Cirrhotic ? 1.3 : 1.0;
                shapes.Add(shape with
                {
                    RadiusX = shape.RadiusX * grow, RadiusY = shape.RadiusY * grow, RadiusZ = shape.RadiusZ * grow,
                    Hu = shape.Hu + hospital.LiverEnhancementHu + Uniform(random, -5, 5),
                });
            }
            else if (Vessels.Contains(shape.Name))
                shapes.Add(shape with { Hu = shape.Hu + hospital.VesselEnhancementHu + Uniform(random, -10, 10) });
            else
                shapes.Add(shape);
        }
        return shapes;
    }

    private static double Jitter(Random random) => Math.Round(Uniform(random, 0.95, 1.05), 2);

    private static double Uniform(Random random, double low, double high) => low + (high - low) * random.NextDouble();

    private static T Pick<T>(Random random, params (T Value, double Weight)[] choices)
    {
        var u = random.NextDouble() * choices.Sum(c => c.Weight);
        foreach (var (value, weight) in choices)
        {
            if (u < weight) return value;
            u -= weight;
        }
        return choices[^1].Value;
    }
}
