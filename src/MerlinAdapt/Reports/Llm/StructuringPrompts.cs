using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OpenAI.Chat;

namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// The two one-shot prompts of the paper's report preprocessing (§2.2, Appendix B: one instruction, one worked
/// example, then the report), in our own words: (1) extract Clinical Information, Findings and Impression;
/// (2) sort Findings and Impression by Merlin's 13 organ systems. The paper found one-shot prompts gave steadier
/// structure than zero-shot ones. Both ask for JSON only, with the keys <see cref="LlmAnswerParser"/> checks.
/// </summary>
public static class StructuringPrompts
{
    private const string ExtractionInstruction =
        """
        You split radiology reports of abdominal CT scans into sections. Reply with one JSON object with exactly three
        string keys: "clinical_information", "findings" and "impression".
        - clinical_information: why the scan was done and the relevant history (often headed History, Indication or Clinical details).
        - findings: what the radiologist saw on the images, organ by organ.
        - impression: the radiologist's conclusion (often headed Impression, Conclusion, Opinion or Summary); write numbered points as plain sentences.
        Copy the report's own sentences. Do not reword, shorten, translate, correct or add anything.
        Leave out technique, comparison and signature lines. If the report has no such section, give an empty string.
        Reply with the JSON object only.
        """;

    private static readonly string OrganList = string.Join('\n', OrganSystems.All.Select(o => $"- {o.Key}: {Scope(o.Key)}"));

    private static readonly string DecompositionInstruction =
        $$"""
        You sort the sentences of an abdominal CT report by organ system. Reply with one JSON object with two keys,
        "findings" and "impression". Each holds an object whose keys are organ systems from this list:
        {{OrganList}}
        - other: sentences about none of these systems.
        Each value is the text about that system, copied from the report as written, negations included ("No ascites.").
        A sentence about several systems goes under each of them. Leave out systems the section does not mention.
        Do not reword, summarise or add anything. Reply with the JSON object only.
        """;

    private const string ExampleReport =
        """
        CLINICAL HISTORY: 61-year-old woman with alcohol-related cirrhosis. HCC surveillance.
        TECHNIQUE: Multiphasic CT of the abdomen.
        FINDINGS: The lung bases are clear. The liver is nodular. A 1.8 cm arterially enhancing observation in segment VI shows washout, LI-RADS 4. The portal vein is patent. The spleen measures 14 cm. Small volume ascites. No lymphadenopathy. No change since the prior examination otherwise.
        IMPRESSION: 1. LI-RADS 4 observation in segment VI. 2. Cirrhosis with splenomegaly and ascites.
        """;

    private static readonly ReportSections ExampleSections = new(
        "61-year-old woman with alcohol-related cirrhosis. HCC surveillance.",
        "The lung bases are clear. The liver is nodular. A 1.8 cm arterially enhancing observation in segment VI shows washout, LI-RADS 4. " +
        "The portal vein is patent. The spleen measures 14 cm. Small volume ascites. No lymphadenopathy. No change since the prior examination otherwise.",
        "LI-RADS 4 observation in segment VI. Cirrhosis with splenomegaly and ascites.");

    private static readonly object ExampleDecomposition = new Dictionary<string, Dictionary<string, string>>
    {
        ["findings"] = new()
        {
            ["lower_thorax"] = "The lung bases are clear.",
            ["liver"] = "The liver is nodular. A 1.8 cm arterially enhancing observation in segment VI shows washout, LI-RADS 4. The portal vein is patent.",
            ["spleen"] = "The spleen measures 14 cm.",
            ["peritoneum"] = "Small volume ascites.",
            ["lymph_nodes"] = "No lymphadenopathy.",
            ["other"] = "No change since the prior examination otherwise.",
        },
        ["impression"] = new()
        {
            ["liver"] = "LI-RADS 4 observation in segment VI. Cirrhosis with splenomegaly and ascites.",
            ["spleen"] = "Cirrhosis with splenomegaly and ascites.",
            ["peritoneum"] = "Cirrhosis with splenomegaly and ascites.",
        },
    };

    /// <summary>
    /// Names this wording: part of every cache key, so a changed prompt never serves answers to the old one.
    /// Derived from the prompt text itself, so it cannot be forgotten when the wording changes.
    /// </summary>
    public static string Version { get; } = "v1-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(
        string.Join('\0', ExtractionInstruction, DecompositionInstruction, ExampleReport, ExtractionAnswer(ExampleSections), JsonSerializer.Serialize(ExampleDecomposition)))))[..12];

    public static IReadOnlyList<ChatMessage> Extraction(string report) =>
    [
        new SystemChatMessage(ExtractionInstruction),
        new UserChatMessage(ExampleReport),
        new AssistantChatMessage(ExtractionAnswer(ExampleSections)),
        new UserChatMessage(report),
    ];

    public static IReadOnlyList<ChatMessage> Decomposition(ReportSections sections) =>
    [
        new SystemChatMessage(DecompositionInstruction),
        new UserChatMessage(DecompositionQuestion(ExampleSections)),
        new AssistantChatMessage(JsonSerializer.Serialize(ExampleDecomposition)),
        new UserChatMessage(DecompositionQuestion(sections)),
    ];

    private static string DecompositionQuestion(ReportSections sections) => $"Findings: {sections.Findings}\n\nImpression: {sections.Impression}";

    private static string ExtractionAnswer(ReportSections sections) => JsonSerializer.Serialize(new Dictionary<string, string>
    {
        ["clinical_information"] = sections.ClinicalInformation,
        ["findings"] = sections.Findings,
        ["impression"] = sections.Impression,
    });

    private static string Scope(string key) => key switch
    {
        "lower_thorax" => "lung bases, pleura, heart",
        "liver" => "liver, bile ducts, portal and hepatic veins, liver lesions and their treatment (TACE, ablation)",
        "gallbladder" => "gallbladder",
        "spleen" => "spleen",
        "pancreas" => "pancreas",
        "adrenal_glands" => "adrenal glands",
        "kidneys" => "kidneys and ureters",
        "bowel" => "stomach, small and large bowel, appendix, mesentery",
        "peritoneum" => "peritoneal cavity, ascites, free air, abdominal wall, hernias",
        "pelvic" => "urinary bladder, prostate, uterus, ovaries",
        "circulatory" => "aorta and other vessels, varices",
        "lymph_nodes" => "lymph nodes",
        "musculoskeletal" => "bones, spine, muscles",
        _ => throw new ArgumentOutOfRangeException(nameof(key), key, "not an organ system"),
    };
}
