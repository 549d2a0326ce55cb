namespace MerlinAdapt.Adaptation;

/// <summary>
/// What a fine-tuning run trains (paper §2.4, Tables 2 and 7; hcc-merlin-reference.md §1). The temperature is
/// trainable in every mode. In every mode but <see cref="Full"/> BatchNorm stays in eval mode, so a frozen backbone
/// is really frozen (and GradCache stays exact).
/// </summary>
public enum AdaptationMode
{
    /// <summary>Everything trainable.</summary>
    Full,

    /// <summary>Text LoRA + image ConvLoRA + both projections (`linear_layer`, `contrastive_head`).</summary>
    Peft,

    /// <summary>Text LoRA + the text projection.</summary>
    TextLora,

    /// <summary>Image ConvLoRA + the image projection.</summary>
    ImageConvLora,

    /// <summary>Both projections only.</summary>
    Projections,

    /// <summary>Only the temperature: the zero-shot baseline.</summary>
    Frozen,
}

public static class AdaptationModes
{
    public static IReadOnlyList<string> Names { get; } = ["full", "peft", "text-lora", "image-convlora", "projections", "frozen"];

    public static AdaptationMode Parse(string name) => name switch
    {
        "full" => AdaptationMode.Full,
        "peft" => AdaptationMode.Peft,
        "text-lora" => AdaptationMode.TextLora,
        "image-convlora" => AdaptationMode.ImageConvLora,
        "projections" => AdaptationMode.Projections,
        "frozen" => AdaptationMode.Frozen,
        _ => throw new InputException("--mode", $"unknown adaptation mode \"{name}\" (available: {string.Join(", ", Names)})"),
    };

    public static string Name(this AdaptationMode mode) => Names[(int)mode];

    public static bool UsesTextLora(this AdaptationMode mode) => mode is AdaptationMode.Peft or AdaptationMode.TextLora;

    public static bool UsesConvLora(this AdaptationMode mode) => mode is AdaptationMode.Peft or AdaptationMode.ImageConvLora;

    public static bool TrainsTextProjection(this AdaptationMode mode) => mode is AdaptationMode.Peft or AdaptationMode.TextLora or AdaptationMode.Projections;

    public static bool TrainsImageProjection(this AdaptationMode mode) => mode is AdaptationMode.Peft or AdaptationMode.ImageConvLora or AdaptationMode.Projections;
}
