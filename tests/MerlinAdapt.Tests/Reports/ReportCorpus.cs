namespace MerlinAdapt.Tests.Reports;

/// <summary>
/// Free-text abdominal CT reports written for these tests in the styles hospitals use: headed (US, UK, templated by
/// organ), unheaded, one spreadsheet-cell line, all capitals, all lower case, numbered and bulleted impressions, and
/// the abbreviations of liver imaging (HCC, LI-RADS, LR-5, s/p TACE). Each comes with what structuring must find.
/// </summary>
public static class ReportCorpus
{
    public sealed record Case(
        string Name,
        string Text,
        string ClinicalInformation,
        string Findings,
        string Impression,
        IReadOnlyDictionary<string, string[]> Organs,
        string[]? UnplacedFindings = null,
        string[]? UnplacedImpression = null)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Case> All { get; } =
    [
        new("us-headed-template",
            """
            CT ABDOMEN AND PELVIS WITH AND WITHOUT IV CONTRAST (LIVER PROTOCOL)

            CLINICAL HISTORY: 67-year-old man with hepatitis C cirrhosis, s/p TACE of segment VII HCC in 2022. Evaluate for recurrence.

            TECHNIQUE: Multiphasic CT of the abdomen and pelvis was performed before and after intravenous contrast in the late arterial, portal venous and delayed phases.

            COMPARISON: CT abdomen 03/14/2023.

            FINDINGS:
            Lower thorax: Mild bibasilar atelectasis. No pleural effusion.
            Liver and biliary tree: Cirrhotic morphology with nodular contour. Post-TACE lipiodol deposition in segment VII without residual enhancement. New 2.4 x 2.1 cm arterially enhancing observation in segment VIII (series 5, image 34) with washout and an enhancing capsule, LI-RADS 5. Main portal vein is patent. No biliary ductal dilatation.
            Gallbladder: Cholelithiasis without wall thickening.
            Spleen: Splenomegaly, 15.2 cm.
            Pancreas: Unremarkable.
            Adrenal glands: Unremarkable.
            Kidneys and ureters: Simple cyst in the left kidney (Bosniak 1). No hydronephrosis.
            Gastrointestinal tract: Small hiatal hernia. No bowel obstruction.
            Peritoneal cavity: Small volume perihepatic ascites.
            Pelvic organs: Urinary bladder is unremarkable.
            Vasculature: Esophageal and splenorenal varices. Atherosclerotic calcification of the abdominal aorta.
            Lymph nodes: No lymphadenopathy.
            Musculoskeletal: Degenerative changes of the lumbar spine.

            IMPRESSION:
            1. New 2.4 cm LI-RADS 5 observation in segment VIII, consistent with HCC.
            2. Treated segment VII HCC without evidence of residual or recurrent tumor (LR-TR nonviable).
            3. Cirrhosis with sequelae of portal hypertension including splenomegaly, varices and ascites.
            """,
            ClinicalInformation: "67-year-old man with hepatitis C cirrhosis, s/p TACE of segment VII HCC in 2022. Evaluate for recurrence.",
            Findings: "Lower thorax: Mild bibasilar atelectasis. No pleural effusion. Liver and biliary tree: Cirrhotic morphology with nodular contour.",
            Impression: "New 2.4 cm LI-RADS 5 observation in segment VIII, consistent with HCC. Treated segment VII HCC without evidence of " +
                        "residual or recurrent tumor (LR-TR nonviable). Cirrhosis with sequelae of portal hypertension including splenomegaly, varices and ascites.",
            Organs: new Dictionary<string, string[]>
            {
                ["lower_thorax"] = ["Mild bibasilar atelectasis.", "No pleural effusion."],
                ["liver"] =
                [
                    "Cirrhotic morphology with nodular contour.", "Post-TACE lipiodol deposition in segment VII without residual enhancement.",
                    "New 2.4 x 2.1 cm arterially enhancing observation in segment VIII (series 5, image 34) with washout and an enhancing capsule, LI-RADS 5.",
                    "Main portal vein is patent.", "No biliary ductal dilatation.", "New 2.4 cm LI-RADS 5 observation in segment VIII, consistent with HCC.",
                    "Cirrhosis with sequelae of portal hypertension",
                ],
                ["gallbladder"] = ["Cholelithiasis without wall thickening."],
                ["spleen"] = ["Splenomegaly, 15.2 cm.", "including splenomegaly, varices and ascites."],
                ["pancreas"] = ["Unremarkable."],
                ["adrenal_glands"] = ["Unremarkable."],
                ["kidneys"] = ["Simple cyst in the left kidney (Bosniak 1).", "No hydronephrosis."],
                ["bowel"] = ["Small hiatal hernia.", "No bowel obstruction."],
                ["peritoneum"] = ["Small volume perihepatic ascites.", "varices and ascites."],
                ["pelvic"] = ["Urinary bladder is unremarkable."],
                ["circulatory"] = ["Esophageal and splenorenal varices.", "Atherosclerotic calcification of the abdominal aorta."],
                ["lymph_nodes"] = ["No lymphadenopathy."],
                ["musculoskeletal"] = ["Degenerative changes of the lumbar spine."],
            }),

        new("unheaded-closing-numbered-list",
            """
            Liver is cirrhotic with a nodular surface. There is a 3.2 cm hypervascular mass in the right hepatic lobe (segment VI)
            demonstrating washout on delayed images, compatible with HCC. Tumor thrombus extends into the right portal vein.
            The spleen measures 14 cm. No ascites. Kidneys enhance symmetrically without hydronephrosis. The abdominal aorta is
            normal in caliber. Multilevel degenerative disc disease, most pronounced at L4-L5.

            1. 3.2 cm segment VI HCC with tumor thrombus in the right portal vein (LR-TIV).
            2. Cirrhosis and mild splenomegaly.
            """,
            ClinicalInformation: "",
            Findings: "Liver is cirrhotic with a nodular surface. There is a 3.2 cm hypervascular mass in the right hepatic lobe (segment VI) " +
                      "demonstrating washout on delayed images, compatible with HCC. Tumor thrombus extends into the right portal vein.",
            Impression: "3.2 cm segment VI HCC with tumor thrombus in the right portal vein (LR-TIV). Cirrhosis and mild splenomegaly.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] = ["Liver is cirrhotic with a nodular surface.", "compatible with HCC.", "Tumor thrombus extends into the right portal vein.", "Cirrhosis and mild splenomegaly."],
                ["spleen"] = ["The spleen measures 14 cm.", "Cirrhosis and mild splenomegaly."],
                ["peritoneum"] = ["No ascites."],
                ["kidneys"] = ["Kidneys enhance symmetrically without hydronephrosis."],
                ["circulatory"] = ["The abdominal aorta is normal in caliber."],
                ["musculoskeletal"] = ["Multilevel degenerative disc disease, most pronounced at L4-L5."],
            }),

        new("uk-clinical-details-report-opinion",
            """
            Clinical details: Known HCC, s/p TACE. ? progression. AFP rising.

            Report: Comparison is made with the previous CT of 12.01.2024. The liver is cirrhotic. The TACE-treated lesion in segment 8
            shows dense lipiodol uptake with a new nodular area of arterial enhancement at its medial margin measuring approx. 11 mm,
            e.g. on image 42 of series 4. No new liver lesions. The portal and hepatic veins are patent. Spleen is enlarged at 16 cm.
            The pancreas, adrenals and kidneys are unremarkable. No free fluid. No enlarged nodes. Bones unremarkable.

            Opinion: Residual/recurrent HCC at the medial margin of the treated segment 8 lesion (LR-TR viable). Stable splenomegaly.
            """,
            ClinicalInformation: "Known HCC, s/p TACE. ? progression. AFP rising.",
            Findings: "Comparison is made with the previous CT of 12.01.2024. The liver is cirrhotic. The TACE-treated lesion in segment 8 " +
                      "shows dense lipiodol uptake with a new nodular area of arterial enhancement at its medial margin measuring approx. 11 mm, " +
                      "e.g. on image 42 of series 4. No new liver lesions.",
            Impression: "Residual/recurrent HCC at the medial margin of the treated segment 8 lesion (LR-TR viable). Stable splenomegaly.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] =
                [
                    "The liver is cirrhotic.", "measuring approx. 11 mm, e.g. on image 42 of series 4.", "No new liver lesions.",
                    "The portal and hepatic veins are patent.", "Residual/recurrent HCC at the medial margin",
                ],
                ["spleen"] = ["Spleen is enlarged at 16 cm.", "Stable splenomegaly."],
                ["pancreas"] = ["The pancreas, adrenals and kidneys are unremarkable."],
                ["adrenal_glands"] = ["The pancreas, adrenals and kidneys are unremarkable."],
                ["kidneys"] = ["The pancreas, adrenals and kidneys are unremarkable."],
                ["peritoneum"] = ["No free fluid."],
                ["lymph_nodes"] = ["No enlarged nodes."],
                ["musculoskeletal"] = ["Bones unremarkable."],
            },
            UnplacedFindings: ["Comparison is made with the previous CT of 12.01.2024."]),

        new("one-line-all-capitals",
            "INDICATION: HCC SURVEILLANCE, LI-RADS 3 OBSERVATION ON PRIOR MRI. FINDINGS: THE LIVER IS MILDLY NODULAR. 8 MM LR-3 OBSERVATION " +
            "IN SEGMENT 4A IS UNCHANGED. NO NEW ARTERIALLY ENHANCING LESION. GALLBLADDER IS SURGICALLY ABSENT. THE SPLEEN, PANCREAS AND " +
            "ADRENAL GLANDS ARE NORMAL. BILATERAL RENAL CYSTS. NO LYMPHADENOPATHY. IMPRESSION: STABLE 8 MM LR-3 OBSERVATION. NO LR-4 OR LR-5 OBSERVATION.",
            ClinicalInformation: "HCC SURVEILLANCE, LI-RADS 3 OBSERVATION ON PRIOR MRI.",
            Findings: "THE LIVER IS MILDLY NODULAR. 8 MM LR-3 OBSERVATION IN SEGMENT 4A IS UNCHANGED. NO NEW ARTERIALLY ENHANCING LESION.",
            Impression: "STABLE 8 MM LR-3 OBSERVATION. NO LR-4 OR LR-5 OBSERVATION.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] = ["THE LIVER IS MILDLY NODULAR.", "8 MM LR-3 OBSERVATION IN SEGMENT 4A IS UNCHANGED.", "STABLE 8 MM LR-3 OBSERVATION.", "NO LR-4 OR LR-5 OBSERVATION."],
                ["gallbladder"] = ["GALLBLADDER IS SURGICALLY ABSENT."],
                ["spleen"] = ["THE SPLEEN, PANCREAS AND ADRENAL GLANDS ARE NORMAL."],
                ["pancreas"] = ["THE SPLEEN, PANCREAS AND ADRENAL GLANDS ARE NORMAL."],
                ["adrenal_glands"] = ["THE SPLEEN, PANCREAS AND ADRENAL GLANDS ARE NORMAL."],
                ["kidneys"] = ["BILATERAL RENAL CYSTS."],
                ["lymph_nodes"] = ["NO LYMPHADENOPATHY."],
            },
            UnplacedFindings: ["NO NEW ARTERIALLY ENHANCING LESION."]),

        new("history-then-unheaded-body",
            """
            HISTORY: Abdominal pain. History of colon cancer.

            COMPARISON: None.

            The lung bases are clear. The liver is normal in size and attenuation without focal lesion. The gallbladder is distended
            without pericholecystic fluid. The common bile duct measures 4 mm. There is a 1.5 cm nodule in the left adrenal gland with
            an attenuation of 8 HU, consistent with an adenoma. Sigmoid diverticulosis without diverticulitis. The appendix is normal.
            The urinary bladder and prostate are unremarkable. A 1.2 cm right external iliac lymph node is nonspecific. No acute osseous abnormality.

            IMPRESSION: No acute abnormality in the abdomen or pelvis. Left adrenal adenoma; no follow-up imaging is needed.
            """,
            ClinicalInformation: "Abdominal pain. History of colon cancer.",
            Findings: "The lung bases are clear. The liver is normal in size and attenuation without focal lesion.",
            Impression: "No acute abnormality in the abdomen or pelvis. Left adrenal adenoma; no follow-up imaging is needed.",
            Organs: new Dictionary<string, string[]>
            {
                ["lower_thorax"] = ["The lung bases are clear."],
                ["liver"] = ["The liver is normal in size and attenuation without focal lesion.", "The common bile duct measures 4 mm."],
                ["gallbladder"] = ["The gallbladder is distended without pericholecystic fluid."],
                ["adrenal_glands"] = ["There is a 1.5 cm nodule in the left adrenal gland with an attenuation of 8 HU, consistent with an adenoma.", "Left adrenal adenoma; no follow-up imaging is needed."],
                ["bowel"] = ["Sigmoid diverticulosis without diverticulitis.", "The appendix is normal."],
                ["pelvic"] = ["The urinary bladder and prostate are unremarkable."],
                ["lymph_nodes"] = ["A 1.2 cm right external iliac lymph node is nonspecific."],
                ["musculoskeletal"] = ["No acute osseous abnormality."],
            },
            UnplacedImpression: ["No acute abnormality in the abdomen or pelvis."]),

        new("bulleted-mixed-case",
            """
            Indication: Cirrhosis (NASH), surveillance.
            Technique: Triphasic CT abdomen.
            Findings:
            - Liver: steatotic, nodular contour. No arterially enhancing lesion to suggest HCC.
            - Portal vein patent; recanalized paraumbilical vein.
            - Spleen 13.5 cm.
            - No ascites.
            - Right renal calculus, 4 mm, non-obstructing
            Conclusion:
            - No imaging evidence of HCC (LI-RADS 1 vs. 2 findings only).
            - Stable portal hypertension.
            """,
            ClinicalInformation: "Cirrhosis (NASH), surveillance.",
            Findings: "Liver: steatotic, nodular contour. No arterially enhancing lesion to suggest HCC. Portal vein patent; recanalized " +
                      "paraumbilical vein. Spleen 13.5 cm. No ascites. Right renal calculus, 4 mm, non-obstructing.",
            Impression: "No imaging evidence of HCC (LI-RADS 1 vs. 2 findings only). Stable portal hypertension.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] =
                [
                    "steatotic, nodular contour.", "No arterially enhancing lesion to suggest HCC.", "Portal vein patent; recanalized paraumbilical vein.",
                    "No imaging evidence of HCC (LI-RADS 1 vs. 2 findings only).", "Stable portal hypertension.",
                ],
                ["spleen"] = ["Spleen 13.5 cm."],
                ["peritoneum"] = ["No ascites."],
                ["kidneys"] = ["Right renal calculus, 4 mm, non-obstructing."],
            }),

        new("one-line-inline-numbered-impression",
            "Clinical information: 58F, s/p right hepatectomy for HCC. Findings: Postsurgical changes of right hepatectomy with hypertrophy of " +
            "the left lobe. No suspicious hepatic lesion, e.g. in the resection margin. Stable 5 mm hypodensity in the pancreatic tail, likely a " +
            "side-branch IPMN. Small fat-containing umbilical hernia. Impression: 1. No evidence of recurrent HCC. 2. Stable 5 mm pancreatic " +
            "cyst, likely side-branch IPMN; follow-up MRI in 1 year is suggested.",
            ClinicalInformation: "58F, s/p right hepatectomy for HCC.",
            Findings: "Postsurgical changes of right hepatectomy with hypertrophy of the left lobe. No suspicious hepatic lesion, e.g. in the resection margin.",
            Impression: "No evidence of recurrent HCC. Stable 5 mm pancreatic cyst, likely side-branch IPMN; follow-up MRI in 1 year is suggested.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] = ["Postsurgical changes of right hepatectomy with hypertrophy of the left lobe.", "No suspicious hepatic lesion, e.g. in the resection margin.", "No evidence of recurrent HCC."],
                ["pancreas"] = ["Stable 5 mm hypodensity in the pancreatic tail, likely a side-branch IPMN.", "Stable 5 mm pancreatic cyst, likely side-branch IPMN;"],
                ["peritoneum"] = ["Small fat-containing umbilical hernia."],
            }),

        new("all-lower-case",
            "findings: the liver is cirrhotic. there is a 2 cm lr-4 observation in segment 5. the spleen is enlarged. no ascites.\n" +
            "impression: lr-4 observation in segment 5; recommend mri.",
            ClinicalInformation: "",
            Findings: "the liver is cirrhotic. there is a 2 cm lr-4 observation in segment 5. the spleen is enlarged. no ascites.",
            Impression: "lr-4 observation in segment 5; recommend mri.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] = ["the liver is cirrhotic.", "there is a 2 cm lr-4 observation in segment 5.", "lr-4 observation in segment 5; recommend mri."],
                ["spleen"] = ["the spleen is enlarged."],
                ["peritoneum"] = ["no ascites."],
            }),

        new("organ-headers-on-their-own-lines",
            """
            EXAM: CT abdomen/pelvis with contrast
            HISTORY: Weight loss.
            FINDINGS:
            LIVER:
            Multiple hypoattenuating lesions throughout both lobes, the largest 4.1 cm in segment 6.
            These are new since the prior exam.
            SPLEEN:
            Normal.
            OTHER:
            Moderate stool burden.
            IMPRESSION:
            Multiple new hepatic lesions, concerning for metastases.
            Electronically signed by: Dr. A. Example, MD
            """,
            ClinicalInformation: "Weight loss.",
            Findings: "LIVER: Multiple hypoattenuating lesions throughout both lobes, the largest 4.1 cm in segment 6. These are new since the prior exam.",
            Impression: "Multiple new hepatic lesions, concerning for metastases.",
            Organs: new Dictionary<string, string[]>
            {
                ["liver"] = ["Multiple hypoattenuating lesions throughout both lobes, the largest 4.1 cm in segment 6. These are new since the prior exam.", "Multiple new hepatic lesions, concerning for metastases."],
                ["spleen"] = ["Normal."],
            },
            UnplacedFindings: ["Moderate stool burden."]),
    ];
}
