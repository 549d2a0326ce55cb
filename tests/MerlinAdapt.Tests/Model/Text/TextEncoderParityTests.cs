using TorchSharp;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model.Text;

/// <summary>
/// The text tower (Longformer + Merlin's projection), imported with the fixture's config.json, against the
/// reference outputs of model-parity/text: window padding, RoBERTa positions, banded attention, padded queries
/// zeroed. Tolerance per the README: 1e-4·max|expected| for every array.
/// </summary>
public sealed class TextEncoderParityTests
{
    [Theory]
    [InlineData("case_a")]
    [InlineData("case_b")]
    public void Forward_MatchesTheReference(string caseName)
    {
        using var scope = NewDisposeScope();
        using var model = CheckpointImporter.Import(Fixtures.Path("model-parity/text/text_weights.pt"), Fixtures.Path("model-parity/text/config.json")).Model;
        Tensor Load(string name) => NpyFile.Read(Fixtures.Path($"model-parity/text/{caseName}/{name}.npy"));
        var ids = Load("input_ids");
        var mask = Load("attention_mask");
        using var noGrad = no_grad();

        using var f = model.EncodeText(ids, mask);
        var states = model.Text.Longformer.HiddenStates(ids, mask);
        var (paddedIds, _) = model.Text.Longformer.PadToWindow(ids, mask);

        Assert.True(TensorAssert.Same(Load("debug_window_padded_input_ids"), paddedIds));
        Assert.True(TensorAssert.Same(Load("debug_position_ids"), MerlinAdapt.Model.Text.LongformerEmbeddings.PositionIds(paddedIds, 1)));
        AssertClose(Load("expected_hidden_states"), stack(states), "hidden states");
        AssertClose(Load("expected_last_hidden_state"), f.Hidden, "last hidden state");
        AssertClose(Load("expected_cls"), f.Cls, "cls");
        AssertClose(Load("expected_pooler_output"), model.Text.Longformer.pooler.call(f.Hidden), "pooler");
        AssertClose(Load("expected_projection_raw"), f.Projection, "projection");
        AssertClose(Load("expected_projection_l2norm"), f.Normalized(), "normalised projection");
        Assert.Equal(2.6592600, model.LogitScale.ToSingle(), 6);
    }

    private static void AssertClose(Tensor expected, Tensor actual, string what)
    {
        var ratio = TensorAssert.RelativeToMax(expected, actual);
        Assert.True(ratio <= 1e-4, $"{what}: max |Δ| is {ratio:E2} of max |expected| (tolerance 1e-4)");
    }
}
