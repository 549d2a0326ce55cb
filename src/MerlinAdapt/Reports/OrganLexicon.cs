using System.Text.RegularExpressions;

namespace MerlinAdapt.Reports;

/// <summary>
/// Which of Merlin's organ systems a sentence is about, from the words it uses: "liver", "hepatic", "segment VII",
/// "portal vein", "LI-RADS", "s/p TACE" → liver and biliary tree, and so on for all 13 systems.
/// </summary>
/// <remarks>
/// Terms are whole words, case-insensitive; a trailing <c>*</c> matches any ending ("hepat*": hepatic, hepatomegaly).
/// Where terms overlap, the longest wins, so "splenic flexure" is bowel, not spleen, and "portal venous phase" (a
/// technique phrase, listed with no system) claims nothing. Weak terms ("pelvic", "mesenteric") count only when the
/// sentence has no strong term, so "pelvic lymph nodes" is lymph nodes alone.
/// </remarks>
public static class OrganLexicon
{
    /// <summary>The terms of one system (null: claims words for no system) and strength, as one alternation.</summary>
    private sealed record TermGroup(Regex Pattern, string? Organ, bool Weak);

    private static readonly (string? Organ, string[] Strong, string[] Weak)[] Table =
    [
        ("lower_thorax",
        [
            "lower thorax", "lower chest", "lung base*", "lung*", "pulmonary", "pleura*", "pericardi*", "heart", "cardiac",
            "cardiomegaly", "atelecta*", "lower lobe*", "middle lobe", "lingula*", "basilar", "bibasilar", "bibasal",
            "emphysema*", "coronary", "thorax", "chest",
        ], ["consolidation", "ground glass", "ground-glass"]),
        ("liver",
        [
            "liver*", "hepat*", "intrahepatic", "extrahepatic", "perihepatic", "hepatocellular", "hcc", "li-rads", "lirads",
            @"re:lr-?(?:[1-5]|m|tiv|tr|nc)", @"re:segments?\s+(?:[1-8][ab]?|i{1,3}|iv[ab]?|vi{0,3}|v)(?:\s*(?:/|and|,)\s*(?:[1-8][ab]?|i{1,3}|iv[ab]?|vi{0,3}|v))*",
            "couinaud", "caudate", "right lobe", "left lobe", "cirrho*", "steatosis", "tace", "tare",
            "chemoembolization", "chemoembolisation", "radioembolization", "radioembolisation", "lipiodol", "y-90",
            "ablation", "portal vein*", "main portal vein", "portal venous thrombus", "porta hepatis",
            "biliary", "bile duct*", "cbd", "common duct", "cholangi*", "choledoch*", "pneumobilia", "tips",
            "arterial phase hyperenhancement", "aphe", "nonperipheral washout", "transplant liver",
        ], ["washout", "enhancing capsule", "hemangioma*", "haemangioma*", "portal hypertension"]),
        ("gallbladder", ["gallbladder", "gall bladder", "gallstone*", "cholelithiasis", "cholecyst*", "gb"], ["sludge"]),
        ("spleen", ["spleen*", "splen*", "splenule*", "accessory spleen"], []),
        ("pancreas", ["pancrea*", "peripancrea*", "ipmn*", "uncinate", "wirsung"], []),
        ("adrenal_glands", ["adrenal*", "adrenals"], []),
        ("kidneys",
        [
            "kidney*", "renal", "nephr*", "perinephric", "perirenal", "ureter*", "hydroureter*", "hydronephros*",
            "pyelo*", "renal pelvis", "collecting system*", "bosniak", "urolithiasis", "urothelial", "ureteropelvic",
        ], []),
        ("bowel",
        [
            "bowel*", "small bowel", "large bowel", "colon*", "colitis", "sigmoid", "rectum", "rectal", "rectosigmoid",
            "cecum", "cecal", "caecum", "appendix", "appendicitis", "appendiceal", "stomach", "gastr*", "duoden*", "jejun*",
            "ileum", "ileal", "ileus", "terminal ileum", "esophag*", "oesophag*", "diverticul*", "hiatal hernia",
            "hiatus hernia", "splenic flexure", "hepatic flexure", "pylor*", "colostomy", "ileostomy", "gi tract",
            "mesentery", "bowel obstruction",
        ], ["mesenteric", "anastomo*"]),
        ("peritoneum",
        [
            "peritone*", "retroperitone*", "intraperitoneal", "ascites", "free fluid", "free air", "pneumoperitoneum",
            "omentum", "omental", "abdominal wall", "hernia*", "carcinomatosis", "paracolic", "fluid collection*",
        ], ["umbilical", "inguinal", "abscess*", "subcutaneous"]),
        ("pelvic",
        [
            "urinary bladder", "bladder", "prostat*", "seminal vesicle*", "uterus", "uterine", "ovar*", "adnex*",
            "endometri*", "cervix", "vagina*", "pelvic organs",
        ], ["pelvic"]),
        ("circulatory",
        [
            "aort*", "ivc", "inferior vena cava", "vena cava", "iliac arter*", "iliac vein*", "celiac", "celiac axis",
            "sma", "smv", "superior mesenteric arter*", "superior mesenteric vein", "splenic vein", "splenic arter*",
            "renal vein*", "renal arter*", "vascular*", "vasculature", "aneurysm*", "atheroscl*", "atheromat*",
            "calcified plaque*", "varices", "varix", "portosystemic", "collateral*", "arteries", "artery",
        ], ["thromb*", "vessel*"]),
        ("lymph_nodes", ["lymph node*", "lymphadenopathy", "adenopathy", "node", "nodes", "nodal", "lymphatic*"], []),
        ("musculoskeletal",
        [
            "bone*", "bony", "osseous", "osteo*", "ossific", "spine", "spinal", "vertebra*", "lumbar", "thoracic spine",
            "sacr*", "sacroiliac", "coccyx", "iliac bone*", "ilium", "pubic", "pubis", "acetabul*", "femur", "femoral head*",
            "femoral neck", "hip", "hips", "rib", "ribs", "fracture*", "degenerative", "spondyl*", "disc", "discs", "disk",
            "disks", "endplate*", "lytic", "sclerotic", "blastic", "muscle*", "musculature", "sarcopeni*", "psoas",
            "paraspinal", "rectus abdominis", "marrow", "scoliosis", "kyphosis", "schmorl*",
            @"re:(?:t(?:[1-9]|1[0-2])|l[1-5])(?:-(?:t(?:[1-9]|1[0-2])|l[1-5]|s1))?",
            "musculoskeletal",
        ], ["soft tissue*"]),
        // Technique phrases that look anatomical: they claim their words so that nothing else does.
        (null,
        [
            "portal venous phase", "portal venous phases", "arterial phase", "late arterial phase", "delayed phase",
            "intravenous contrast", "iv contrast", "oral contrast",
        ], []),
    ];

    private static readonly IReadOnlyList<TermGroup> Groups = Table
        .SelectMany(row => new[] { new TermGroup(Compile(row.Strong), row.Organ, false), new TermGroup(Compile(row.Weak), row.Organ, true) })
        .Where(g => g.Pattern.ToString().Length > 0)
        .ToList();

    /// <summary>The organ-system keys the text mentions, in order of first mention; empty when none.</summary>
    public static IReadOnlyList<string> Organs(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var matches = new List<(int Start, int Length, string? Organ, bool Weak)>();
        foreach (var group in Groups)
        {
            foreach (Match match in group.Pattern.Matches(text)) matches.Add((match.Index, match.Length, group.Organ, group.Weak));
        }
        // Longest first; a match overlapping a longer accepted one is dropped.
        var accepted = new List<(int Start, int Length, string? Organ, bool Weak)>();
        foreach (var match in matches.OrderByDescending(m => m.Length).ThenBy(m => m.Start))
        {
            if (accepted.Any(a => match.Start < a.Start + a.Length && a.Start < match.Start + match.Length)) continue;
            accepted.Add(match);
        }
        var strong = accepted.Where(a => a.Organ is not null && !a.Weak).ToList();
        var chosen = strong.Count > 0 ? strong : accepted.Where(a => a.Organ is not null).ToList();
        return chosen.OrderBy(a => a.Start).Select(a => a.Organ!).Distinct().ToList();
    }

    /// <summary>
    /// One regex for a list of terms. Longer terms come first, so that at one position the alternation prefers
    /// "portal vein" to a shorter term starting there; overlaps between systems are settled in <see cref="Organs"/>.
    /// </summary>
    private static Regex Compile(string[] terms)
    {
        if (terms.Length == 0) return new Regex("");
        var alternatives = terms.OrderByDescending(t => t.Length).Select(term =>
        {
            if (term.StartsWith("re:", StringComparison.Ordinal)) return term[3..];
            var words = term.TrimEnd('*').Split(' ').Select(Regex.Escape);
            return string.Join(@"[\s-]+", words) + (term.EndsWith('*') ? @"\w*" : "");
        });
        return new Regex($@"(?<!\w)(?:{string.Join('|', alternatives)})(?!\w)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);
    }
}
