using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using MerlinAdapt.Model.Image;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model.Image;

/// <summary>
/// The image tower, imported through the same path as the official checkpoint, against outputs and gradients
/// computed with Merlin's own code (model-parity/image). Tolerance per the fixture README: 1e-4·max|expected|;
/// the stem gradient by norm (2e-2 relative L2 and 5e-2·max elementwise), because ReLU/max-pool ties flip there.
/// </summary>
public sealed class ImageEncoderParityTests
{
    private static Tensor Expected(string name) => NpyFile.Read(Fixtures.Path($"model-parity/image/{name}.npy"));

    private static MerlinModel Import() => CheckpointImporter.Import(Fixtures.Path("model-parity/image/image_weights.pt")).Model;

    [Fact]
    public void Forward_MatchesMerlin()
    {
        using var scope = NewDisposeScope();
        using var model = Import();
        using var noGrad = no_grad();

        using var f = model.EncodeImage(Expected("image_input"));

        AssertClose("expected_pooled_features", f.Pooled);
        AssertClose("expected_contrastive_raw", f.Contrastive);
        AssertClose("expected_contrastive_l2norm", f.Normalized());
        AssertClose("expected_ehr_logits", f.Phenotypes);
        AssertClose("expected_layer4_features", f.Layer4);
    }

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    public void FusedInference_MatchesMerlin(bool channelsLast, bool foldedStem)
    {
        using var scope = NewDisposeScope();
        using var model = Import();
        using var fused = new FusedI3ResNet(model.Image.Network, channelsLast, foldedStem);

        using var f = fused.Forward(Expected("image_input"));

        AssertClose("expected_pooled_features", f.Pooled);
        AssertClose("expected_contrastive_raw", f.Contrastive);
        AssertClose("expected_ehr_logits", f.Phenotypes);
        AssertClose("expected_layer4_features", f.Layer4);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Gradients_MatchMerlin(bool checkpointing)
    {
        using var scope = NewDisposeScope();
        using var model = Import();
        var net = model.Image.Network;
        net.Checkpointing = checkpointing ? CheckpointPolicy.Nested : CheckpointPolicy.None;

        using var f = model.EncodeImage(Expected("image_input"));
        (f.Contrastive * Expected("grad_upstream")).sum().backward();

        var conv1 = net.conv1.weight!.grad!;
        var expectedConv1 = Expected("expected_grad_conv1_weight");
        var l2 = (conv1 - expectedConv1).norm().ToDouble() / expectedConv1.norm().ToDouble();
        Assert.True(l2 <= 2e-2, $"conv1 gradient L2-relative error {l2}");
        Assert.True(TensorAssert.RelativeToMax(expectedConv1, conv1) <= 5e-2);

        var l4 = net.layer4[0].conv2 is TorchSharp.Modules.Conv3d c ? c.weight!.grad! : throw new InvalidOperationException();
        AssertClose("expected_grad_layer4_0_conv2_weight_oc0-63", l4.narrow(0, 0, 64));
        AssertClose("expected_grad_layer4_0_conv2_weight_channel_l2", l4.flatten(1).norm(1));
    }

    private static void AssertClose(string expectedName, Tensor actual)
    {
        var ratio = TensorAssert.RelativeToMax(Expected(expectedName), actual);
        Assert.True(ratio <= 1e-4, $"{expectedName}: max |Δ| is {ratio:E2} of max |expected| (tolerance 1e-4)");
    }
}
