namespace MerlinAdapt.Reports;

/// <summary>
/// Merlin's 13 organ systems in the order of its report template (StanfordMIMI/Merlin documentation/demo.py and
/// report_generation_demo.py, hcc-merlin-reference.md §3). The order is the order of sections in anatomy text.
/// </summary>
public static class OrganSystems
{
    public static IReadOnlyList<OrganSystem> All { get; } =
    [
        new("lower_thorax", "Lower thorax", ["lower thorax", "lower chest", "lung bases", "lung base", "thorax", "chest", "lungs"]),
        new("liver", "Liver and biliary tree", ["liver", "liver and biliary tree", "biliary system", "hepatobiliary", "liver/biliary", "biliary"]),
        new("gallbladder", "Gallbladder", ["gallbladder", "gall bladder"]),
        new("spleen", "Spleen", ["spleen"]),
        new("pancreas", "Pancreas", ["pancreas"]),
        new("adrenal_glands", "Adrenal glands", ["adrenal glands", "adrenals", "adrenal"]),
        new("kidneys", "Kidneys and ureters", ["kidneys", "kidneys and ureters", "gu", "kidneys, ureters", "kidneys/ureters", "genitourinary", "urinary tract"]),
        new("bowel", "Gastrointestinal tract", ["bowel", "gastrointestinal tract", "gi", "bowel/mesentery", "gi tract", "stomach and bowel", "gastrointestinal"]),
        new("peritoneum", "Peritoneal cavity", ["peritoneum", "peritoneal space", "peritoneal cavity", "abdominal wall", "peritoneum/retroperitoneum"]),
        new("pelvic", "Pelvic organs", ["pelvic", "pelvic organs", "bladder", "prostate and seminal vesicles", "pelvis", "uterus and ovaries", "reproductive organs", "reproductive"]),
        new("circulatory", "Vasculature", ["circulatory", "vasculature", "vascular", "vessels"]),
        new("lymph_nodes", "Lymph nodes", ["lymph nodes", "nodes", "lymphatics"]),
        new("musculoskeletal", "Musculoskeletal", ["musculoskeletal", "bones", "osseous structures", "bones and soft tissues", "bones/soft tissues", "osseous"]),
    ];

    private static readonly Dictionary<string, OrganSystem> ByKey = All.ToDictionary(o => o.Key, StringComparer.Ordinal);

    private static readonly Dictionary<string, OrganSystem> ByName = BuildNames();

    public static IReadOnlyList<string> Keys { get; } = All.Select(o => o.Key).ToList();

    public static OrganSystem Get(string key) =>
        ByKey.TryGetValue(key, out var organ) ? organ : throw new ArgumentException($"unknown organ system \"{key}\"", nameof(key));

    public static bool IsKey(string key) => ByKey.ContainsKey(key);

    /// <summary>
    /// The organ system a header or key names: a canonical key ("lymph_nodes"), Merlin's key with spaces
    /// ("lymph nodes"), the template header ("Kidneys and ureters") or a synonym ("adrenals"); null when none.
    /// </summary>
    public static OrganSystem? FromName(string name) =>
        ByName.GetValueOrDefault(Normalize(name));

    private static Dictionary<string, OrganSystem> BuildNames()
    {
        var names = new Dictionary<string, OrganSystem>(StringComparer.Ordinal);
        foreach (var organ in All)
        {
            foreach (var name in organ.HeaderSynonyms.Append(organ.Key).Append(organ.Header))
                names.TryAdd(Normalize(name), organ);
        }
        return names;
    }

    private static string Normalize(string name) =>
        string.Join(' ', name.Trim().ToLowerInvariant().Replace('_', ' ').Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
}
