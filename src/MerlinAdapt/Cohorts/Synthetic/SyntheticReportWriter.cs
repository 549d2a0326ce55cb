using System.Globalization;
using System.Text;

namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>
/// Writes a free-text radiology report from a <see cref="SyntheticStudy"/>'s generated findings, in the hospital's
/// <see cref="ReportStyle"/>: headed sections, unheaded prose or numbered impressions; varied wording and
/// abbreviations (HCC, LI-RADS 5 / LR-5, s/p TACE); occasional omissions (history, technique, organ lines, the
/// impression). The liver finding is always stated, so the text carries the label the way real reports do. The
/// wording also covers everyday report verbs (shows, detected, found, appears): a real corpus does, and a prompt word
/// no report contains keeps a random embedding that shifts the zero-shot decision by chance (measured, README).
/// </summary>
public static class SyntheticReportWriter
{
    public static string Write(SyntheticStudy study, Random random)
    {
        var style = random.NextDouble() < study.Hospital.OtherStyleFraction ? Other(study.Hospital.Reports) : study.Hospital.Reports;
        var w = new Writer(study, random, style == ReportStyle.BritishHeaded);
        return w.Report();
    }

    private static ReportStyle Other(ReportStyle style) =>
        style == ReportStyle.BritishHeaded ? ReportStyle.AmericanTerse : ReportStyle.BritishHeaded;

    private sealed class Writer(SyntheticStudy study, Random random, bool british)
    {
        private readonly List<LiverFinding> _hcc = study.Findings.Where(f => f.Kind == LiverFindingKind.Hcc).ToList();
        private readonly List<LiverFinding> _cysts = study.Findings.Where(f => f.Kind == LiverFindingKind.Cyst).ToList();
        private readonly List<LiverFinding> _haemangiomas = study.Findings.Where(f => f.Kind == LiverFindingKind.Haemangioma).ToList();

        public string Report()
        {
            var layout = british
                ? Pick(("headed", 0.7), ("numbered", 0.3))
                : Pick(("headed", 0.15), ("numbered", 0.35), ("prose", 0.5));
            var liver = LiverSentences();
            var others = OtherOrgans();
            var impression = Impression();
            var history = Chance(0.8) ? History() : null;
            var technique = Chance(british ? 0.7 : 0.4) ? Technique() : null;
            var text = new StringBuilder();
            switch (layout)
            {
                case "headed":
                    text.AppendLine(british ? "EXAMINATION: CT ABDOMEN WITH CONTRAST (PORTAL VENOUS PHASE)" : "EXAM: CT abdomen/pelvis with IV contrast");
                    if (history is not null) text.AppendLine((british ? "CLINICAL HISTORY: " : "HISTORY: ") + history);
                    if (technique is not null) text.AppendLine("TECHNIQUE: " + technique);
                    text.AppendLine().AppendLine("FINDINGS:");
                    text.AppendLine("Liver: " + string.Join(" ", liver));
                    foreach (var (organ, sentence) in others) text.AppendLine($"{organ}: {sentence}");
                    text.AppendLine().AppendLine("IMPRESSION:");
                    text.AppendLine(Chance(0.5) ? Numbered(impression) : string.Join(" ", impression));
                    break;
                case "numbered":
                    if (history is not null) text.AppendLine((british ? "Indication: " : "Hx: ") + history);
                    if (technique is not null) text.AppendLine(technique);
                    text.AppendLine().AppendLine(british ? "Findings:" : "FINDINGS:");
                    text.AppendLine(string.Join(" ", liver.Concat(others.Select(o => o.Sentence))));
                    text.AppendLine().AppendLine(british ? "Conclusion:" : "IMPRESSION:");
                    text.AppendLine(Numbered(impression));
                    break;
                default:
                    if (history is not null) text.AppendLine("Clinical: " + history).AppendLine();
                    if (technique is not null) text.Append(technique).Append(' ');
                    text.AppendLine(string.Join(" ", liver.Concat(others.Select(o => o.Sentence))));
                    // Terse reports sometimes stop after the findings.
                    if (Chance(0.8)) text.AppendLine().AppendLine("Impression: " + string.Join(" ", impression));
                    break;
            }
            return text.ToString();
        }

        private List<string> LiverSentences()
        {
            var sentences = new List<string> { Background() };
            for (var i = 0; i < _hcc.Count; i++) sentences.Add(i == 0 ? Hcc(_hcc[0]) : Satellite(_hcc[i]));
            if (_hcc.FirstOrDefault(f => f.Treated) is { } treated) sentences.Add(Tace(treated));
            if (_cysts.Count > 0) sentences.Add(Cysts());
            foreach (var h in _haemangiomas) sentences.Add(Haemangioma(h));
            if (_hcc.Count == 0 && (study.Findings.Count == 0 || Chance(0.5)))
                sentences.Add(british
                    ? Pick("No focal liver lesion.", "No focal hepatic lesion is identified.", "No arterially enhancing lesion or washout to suggest hepatocellular carcinoma.",
                        "No suspicious focal liver lesion.", "The liver appears clear of focal lesions.", "Imaging shows no signs of a liver mass.")
                    : Pick("No focal liver lesion.", "No suspicious hepatic observation.", "No LR-4 or LR-5 observation.", "No arterially enhancing lesion, no washout.",
                        "No liver lesion detected.", "No focal lesion found in the liver."));
            return sentences;
        }

        private string Background() => study.Background switch
        {
            LiverBackground.Fatty => british
                ? Pick("Diffuse low attenuation of the liver relative to the spleen, in keeping with hepatic steatosis.", "Fatty infiltration of the liver.", "The liver is of reduced attenuation, consistent with steatosis.")
                : Pick("Diffuse hepatic steatosis.", "Fatty liver, hypoattenuating relative to the spleen.", "Hepatic steatosis."),
            LiverBackground.Cirrhotic => british
                ? Pick("Nodular liver contour with caudate hypertrophy, in keeping with cirrhosis.", "The liver is small and nodular in keeping with cirrhosis, with multiple small regenerative nodules.", "Cirrhotic liver morphology.")
                : Pick("Cirrhotic morphology, nodular contour.", "Nodular cirrhotic liver with regenerative nodules.", "Cirrhosis."),
            _ => british
                ? Pick("The liver is normal in size and attenuation.", "Normal liver size and contour.", "The liver is of normal size with homogeneous enhancement.")
                : Pick("Liver normal in size.", "Normal hepatic contour and enhancement.", "Liver unremarkable in size."),
        };

        private string Hcc(LiverFinding f)
        {
            var capsule = f.Capsule ? (british ? Pick(" and an enhancing capsule", " and capsule appearance") : Pick(" + capsule", " and enhancing capsule")) : "";
            return british
                ? Pick(
                    $"There is a {Size(f)} arterially enhancing mass in {Segment(f)} with washout on the portal venous phase{capsule}, in keeping with hepatocellular carcinoma.",
                    $"{Size(f)} lesion in {Segment(f)} showing arterial phase hyperenhancement and portal venous washout{capsule}. Appearances are diagnostic of HCC (LI-RADS 5).",
                    $"A heterogeneous {Size(f)} mass in the {Lobe(f)} lobe ({Segment(f)}) demonstrates arterial enhancement with washout{capsule}, consistent with hepatocellular carcinoma.",
                    $"Imaging shows a {Size(f)} mass in {Segment(f)} with the typical arterial enhancement and washout pattern of hepatocellular carcinoma{capsule}.")
                : Pick(
                    $"{Size(f)} APHE lesion {Segment(f)} w/ washout{capsule}, arterially enhancing. LR-5, c/w HCC.",
                    $"Arterially enhancing {Size(f)} observation in {Segment(f)} with washout{capsule}, LI-RADS 5, compatible with HCC.",
                    $"{Segment(f)}: {Size(f)} arterially hyperenhancing mass with portal venous washout{capsule}, hepatocellular carcinoma.",
                    $"HCC detected {Segment(f)}: {Size(f)} mass, typical APHE and washout pattern{capsule}.");
        }

        private string Satellite(LiverFinding f) => british
            ? Pick($"A further {Size(f)} lesion with the same enhancement and washout pattern in {Segment(f)}.", $"Additional {Size(f)} arterially enhancing lesion in {Segment(f)} with washout, in keeping with multifocal disease.")
            : Pick($"Additional {Size(f)} similar lesion {Segment(f)}.", $"2nd arterially enhancing lesion w/ washout {Segment(f)}, {Size(f)}.");

        private string Tace(LiverFinding f) => british
            ? $"Status post TACE: dense lipiodol deposition within the {Segment(f)} lesion, with residual arterially enhancing tumour and washout at its margin (viable HCC)."
            : Pick($"s/p TACE of the {Segment(f)} lesion, dense lipiodol; residual arterially enhancing tumor w/ washout, viable.", $"Post TACE lipiodol in {Segment(f)} mass with viable enhancing tumor and washout (LR-TR viable).");

        private string Cysts()
        {
            var largest = _cysts.MaxBy(c => c.RadiusMm)!;
            if (_cysts.Count > 1)
                return british
                    ? $"Several simple cysts of water attenuation, the largest {Size(largest)} in {Segment(largest)}, without enhancement."
                    : $"Multiple simple hepatic cysts, largest {Size(largest)} {Segment(largest)}.";
            return british
                ? Pick($"A {Size(largest)} simple cyst in {Segment(largest)}, of water attenuation without enhancement.", $"{Size(largest)} well-defined fluid density cyst in {Segment(largest)}, benign.")
                : Pick($"Simple hepatic cyst {Segment(largest)}, {Size(largest)}, fluid density, no enhancement.", $"{Size(largest)} cyst in {Segment(largest)}.");
        }

        private string Haemangioma(LiverFinding f) => british
            ? Pick($"{Size(f)} lesion in {Segment(f)} with peripheral nodular enhancement and centripetal fill-in, typical of a haemangioma.", $"A {Size(f)} haemangioma in {Segment(f)}, hyperdense with blood pool enhancement.")
            : Pick($"{Size(f)} hemangioma {Segment(f)} (peripheral nodular enhancement, fill-in).", $"Hemangioma in {Segment(f)}, {Size(f)}, follows blood pool.");

        private List<string> Impression()
        {
            var items = new List<string>();
            if (_hcc.Count > 0)
            {
                var f = _hcc[0];
                if (_hcc.Count > 1)
                    items.Add(british ? $"Multifocal hepatocellular carcinoma ({_hcc.Count} lesions), the largest {Size(f)} in {Segment(f)}." : $"Multifocal HCC, {_hcc.Count} lesions, largest {Size(f)} {Segment(f)}.");
                else
                    items.Add(british ? Pick($"{Size(f)} hepatocellular carcinoma in {Segment(f)} (LI-RADS 5).", $"Appearances in keeping with HCC in {Segment(f)}.") : Pick($"LR-5 {Segment(f)} {Size(f)}, c/w HCC.", $"HCC {Segment(f)}."));
                if (f.Treated) items.Add(british ? "Viable tumour following TACE." : "Residual viable tumor s/p TACE.");
            }
            else
            {
                items.Add(study.Background switch
                {
                    LiverBackground.Fatty => british ? "Hepatic steatosis. No focal liver lesion." : "Steatosis, no focal lesion.",
                    LiverBackground.Cirrhotic => british ? Pick("Cirrhosis without a LI-RADS 5 observation.", "Cirrhotic liver, no evidence of HCC.") : Pick("Cirrhosis, no LR-5 observation.", "Cirrhotic liver, no HCC."),
                    _ when _cysts.Count > 0 => british ? "Simple hepatic cyst, benign. No evidence of hepatocellular carcinoma." : "Benign hepatic cyst. No HCC.",
                    _ when _haemangiomas.Count > 0 => british ? "Hepatic haemangioma. No evidence of HCC." : "Hepatic hemangioma, no HCC.",
                    _ => british
                        ? Pick("No evidence of hepatocellular carcinoma.", "Normal liver.", "No acute abdominal abnormality.", "No hepatocellular carcinoma found.")
                        : Pick("No HCC.", "Normal liver.", "Negative for HCC.", "No HCC detected.", "Liver appears clear."),
                });
            }
            if (_hcc.Count > 0 && study.Background == LiverBackground.Cirrhotic) items.Add(british ? "Background cirrhosis." : "Cirrhosis.");
            return items;
        }

        private List<(string Organ, string Sentence)> OtherOrgans()
        {
            var cirrhotic = study.Background == LiverBackground.Cirrhotic;
            var lines = new List<(string, string)>
            {
                ("Spleen", cirrhotic ? Pick("Splenomegaly.", "The spleen is enlarged.") : Pick("The spleen is normal in size.", "Spleen unremarkable.")),
                ("Pancreas", Pick("The pancreas is unremarkable.", "Pancreas normal.")),
                ("Kidneys", Pick("Both kidneys enhance symmetrically without hydronephrosis.", "No hydronephrosis or renal mass.")),
                ("Vessels", british ? Pick("Patent portal vein. Normal calibre aorta.", "The portal vein is patent.") : Pick("Patent portal vein.", "Aorta normal caliber.")),
                ("Bones", Pick("No aggressive osseous lesion.", "No destructive bone lesion.")),
            };
            return lines.Where(_ => Chance(0.75)).ToList();
        }

        private string History()
        {
            if (study.ScanNumber > 1 && _hcc.Count > 0)
                return british ? "Known hepatocellular carcinoma, follow-up." : "Known HCC, f/u.";
            return _hcc.Count > 0 || study.Background == LiverBackground.Cirrhotic
                ? (british ? Pick("Cirrhosis, HCC surveillance.", "Hepatitis B, rising AFP.", "Chronic liver disease, ultrasound abnormality.") : Pick("Hx HBV, r/o HCC.", "Cirrhosis, elevated AFP.", "HCV cirrhosis, screening."))
                : (british ? Pick("Abdominal pain.", "Abnormal liver function tests.", "Weight loss.") : Pick("RUQ pain.", "Abnormal LFTs.", "Eval abdominal pain."));
        }

        private string Technique() => british
            ? $"Contrast-enhanced CT of the abdomen in the portal venous phase, {Number(study.Scan.Spacing[2])} mm slices."
            : "CT A/P w/ IV contrast, PV phase.";

        private string Size(LiverFinding f) => !british && Chance(0.4)
            ? $"{Math.Round(2 * f.RadiusMm):F0} mm"
            : $"{Number(f.DiameterCm)} cm";

        private string Segment(LiverFinding f) => british
            ? Pick($"segment {f.Segment}", $"segment {Roman(f.Segment)}")
            : Pick($"S{f.Segment}", $"seg {f.Segment}", $"segment {f.Segment}");

        private static string Lobe(LiverFinding f) => f.Segment switch { 1 => "caudate", 2 or 3 or 4 => "left", _ => "right" };

        private static string Roman(int segment) => new[] { "", "I", "II", "III", "IV", "V", "VI", "VII", "VIII" }[segment];

        private static string Number(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);

        private static string Numbered(IReadOnlyList<string> items) => string.Join("\n", items.Select((s, i) => $"{i + 1}. {s}"));

        private bool Chance(double p) => random.NextDouble() < p;

        private string Pick(params string[] options) => options[random.Next(options.Length)];

        private string Pick((string, double) a, (string, double) b) => PickWeighted([a, b]);

        private string Pick((string, double) a, (string, double) b, (string, double) c) => PickWeighted([a, b, c]);

        private string PickWeighted((string Value, double Weight)[] choices)
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
}
