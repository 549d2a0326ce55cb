using MerlinAdapt.Cohorts.Synthetic;

namespace MerlinAdapt.Tests.Cohorts.Synthetic;

public sealed class SyntheticReportWriterTests
{
    private static IReadOnlyList<SyntheticStudy> Cohort(HospitalProfile hospital) =>
        new SyntheticCohortGenerator(new SyntheticCohortOptions { Hospital = hospital, Patients = 80, Seed = 11 }).Plan();

    public static TheoryData<string> Hospitals => ["A", "B"];

    [Theory]
    [MemberData(nameof(Hospitals))]
    public void Reports_CarryTheGeneratedFinding(string hospital)
    {
        foreach (var study in Cohort(HospitalProfile.Named(hospital)))
        {
            var text = study.Report.ToLowerInvariant();
            if (study.Label == "HCC")
            {
                Assert.True(text.Contains("hcc") || text.Contains("hepatocellular carcinoma"), study.Report);
                Assert.True(text.Contains("arterial") || text.Contains("aphe"), study.Report); // APHE: arterial phase hyperenhancement (LI-RADS)
                Assert.Contains("washout", text);
            }
            else
            {
                Assert.DoesNotContain("c/w hcc", text);
                Assert.DoesNotContain("in keeping with hepatocellular", text);
                var mention = study.Background switch
                {
                    LiverBackground.Fatty => ["steatosis", "fatty"],
                    LiverBackground.Cirrhotic => ["cirrho"],
                    _ when study.Findings.Any(f => f.Kind == LiverFindingKind.Cyst) => ["cyst"],
                    _ when study.Findings.Any(f => f.Kind == LiverFindingKind.Haemangioma) => ["angioma"],
                    _ => new[] { "normal", "unremarkable" },
                };
                Assert.True(mention.Any(text.Contains), study.Report);
            }
        }
    }

    [Fact]
    public void Reports_VaryInWordingAndLayout_AndHospitalsWriteDifferently()
    {
        var a = Cohort(HospitalProfile.A).Select(s => s.Report).ToList();
        var b = Cohort(HospitalProfile.B).Select(s => s.Report).ToList();

        Assert.True(a.Distinct().Count() > a.Count * 0.9);
        Assert.True(b.Distinct().Count() > b.Count * 0.9);
        Assert.Contains(a, r => r.Contains("FINDINGS:", StringComparison.Ordinal));
        Assert.Contains(a, r => r.Contains("\n1. ", StringComparison.Ordinal));
        Assert.Contains(b, r => !r.Contains("FINDINGS", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(b, r => !r.Contains("mpression", StringComparison.Ordinal) && !r.Contains("IMPRESSION", StringComparison.Ordinal));
        Assert.Contains(b, r => r.Contains("LR-5", StringComparison.Ordinal) || r.Contains("c/w", StringComparison.Ordinal));
        Assert.Contains(a, r => r.Contains("in keeping", StringComparison.Ordinal));
        Assert.DoesNotContain(b, r => r.Contains("in keeping", StringComparison.Ordinal));
        // Every British layout has an EXAMINATION line or a Conclusion; no American one has either. A writes a fifth
        // of its reports in the other style (OtherStyleFraction 0.2), B none.
        static bool British(string r) => r.Contains("EXAMINATION:", StringComparison.Ordinal) || r.Contains("Conclusion:", StringComparison.Ordinal);
        Assert.InRange(a.Count(r => !British(r)) / (double)a.Count, 0.08, 0.35);
        Assert.DoesNotContain(b, British);
    }
}
