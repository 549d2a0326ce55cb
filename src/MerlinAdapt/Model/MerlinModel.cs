using MerlinAdapt.Model.Image;
using MerlinAdapt.Model.Text;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace MerlinAdapt.Model;

/// <summary>
/// Merlin (MerlinArchitecture): `encode_image` (I3ResNet), `encode_text` (Longformer + projection) and the
/// temperature `logit_scale`, named as in the official checkpoint so its keys load without a mapping table.
/// Either tower may be absent when a checkpoint holds only one.
/// </summary>
public sealed class MerlinModel : nn.Module
{
#pragma warning disable IDE1006 // names are the checkpoint's
    internal readonly ImageEncoder? encode_image;
    internal readonly TextEncoder? encode_text;
    internal readonly Parameter logit_scale;
#pragma warning restore IDE1006

    public MerlinModel(MerlinConfig config) : base(nameof(MerlinModel))
    {
        Config = config;
        if (config.Image is { } image) encode_image = new ImageEncoder(image);
        if (config.Text is { } text) encode_text = new TextEncoder(text);
        var init = config.TemperatureParameterization == TemperatureParameterization.Log
            ? config.LogitScaleInit
            : Math.Exp(-config.LogitScaleInit);
        logit_scale = nn.Parameter(tensor((float)init));
        RegisterComponents();
    }

    public MerlinConfig Config { get; }

    public ImageEncoder Image => encode_image ?? throw new InvalidOperationException("this model has no image tower");

    public TextEncoder Text => encode_text ?? throw new InvalidOperationException("this model has no text tower");

    public bool HasImageTower => encode_image is not null;

    public bool HasTextTower => encode_text is not null;

    public Parameter LogitScale => logit_scale;

    /// <summary>The current temperature τ (logits = cos / τ).</summary>
    public double Temperature
    {
        get
        {
            var v = logit_scale.ToSingle();
            return Config.TemperatureParameterization == TemperatureParameterization.Log ? Math.Exp(-v) : Math.Max(v, 1e-3);
        }
    }

    /// <param name="volume">(B, 1, X, Y, Z) preprocessed volumes.</param>
    public ImageFeatures EncodeImage(Tensor volume) => Image.call(volume);

    /// <param name="ids">(B, L) int64 token ids; <paramref name="mask"/> (B, L) int64, 1 = token.</param>
    public TextFeatures EncodeText(Tensor ids, Tensor mask) => Text.call(ids, mask);

    /// <summary>The smallest τ the direct parameterisation may take (training clamps it there).</summary>
    public static readonly Scalar TemperatureFloor = 1e-3;

    /// <summary>Image × text logits: cosine similarity of the L2-normalised embeddings divided by τ.</summary>
    public Tensor Logits(Tensor imageEmbeddings, Tensor textEmbeddings)
    {
        using var scope = NewDisposeScope();
        var cos = matmul(nn.functional.normalize(imageEmbeddings, dim: -1), nn.functional.normalize(textEmbeddings, dim: -1).t());
        var scale = Config.TemperatureParameterization == TemperatureParameterization.Log
            ? logit_scale.exp()
            : logit_scale.clamp_min(TemperatureFloor).reciprocal();
        return cos.mul(scale).MoveToOuterDisposeScope();
    }

    /// <summary>Parameter counts per part (trainable or not), for `params`.</summary>
    public ParameterCounts CountParameters() => new(
        encode_image is null ? 0 : Count(encode_image),
        encode_text is null ? 0 : Count(encode_text),
        logit_scale.numel());

    private static long Count(nn.Module module) => module.parameters().Sum(p => p.numel());
}

/// <summary>Parameters per part of a model.</summary>
public sealed record ParameterCounts(long ImageEncoder, long TextEncoder, long Temperature)
{
    public long Total => ImageEncoder + TextEncoder + Temperature;
}
