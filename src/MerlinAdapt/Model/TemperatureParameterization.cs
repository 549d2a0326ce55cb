namespace MerlinAdapt.Model;

/// <summary>How the learnable contrastive temperature τ is stored (design.md, Conventions).</summary>
public enum TemperatureParameterization
{
    /// <summary>Merlin's `logit_scale` = −ln τ: logits = cos · exp(logit_scale) = cos / τ; τ stays positive.</summary>
    Log,

    /// <summary>The paper's code: τ itself is the parameter (clamped at ≥ 1e-3); logits = cos / τ.</summary>
    Direct,
}
