namespace MerlinAdapt.Cohorts.Synthetic;

/// <summary>The liver parenchyma a scan is drawn with, independent of focal lesions.</summary>
public enum LiverBackground
{
    Normal,

    /// <summary>Steatosis: parenchyma 30–60 HU below normal, darker than the spleen.</summary>
    Fatty,

    /// <summary>Cirrhosis: a smaller liver, regenerative nodules, splenomegaly.</summary>
    Cirrhotic,
}
