using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests.Model.Checkpoints;

public sealed class StateDictMatchTests
{
    [Fact]
    public void Compare_ListsMissingUnexpectedAndMisShapedKeys_AndIgnoresPositionIds()
    {
        using var scope = NewDisposeScope();
        using var model = new MerlinModel(ModelPresets.Tiny);
        var tensors = model.state_dict()
            .Where(kv => kv.Key != "encode_image.i3_resnet.bn1.bias")
            .Select(kv => kv.Key == "encode_text.linear_layer.weight" ? new KeyValuePair<string, Tensor>(kv.Key, zeros(7, 64)) : kv)
            .Append(new("encode_image.i3_resnet.fc.weight", zeros(3)))
            .Append(new("encode_text.text_encoder.embeddings.position_ids", zeros(1, 258, dtype: int64)))
            .ToList();

        var match = StateDictMatch.Compare(model, tensors);

        Assert.False(match.IsExact);
        Assert.Equal(["encode_image.i3_resnet.bn1.bias"], match.Missing);
        Assert.Equal(["encode_image.i3_resnet.fc.weight"], match.Unexpected);
        Assert.Equal(["encode_text.linear_layer.weight: model [32,64], file [7,64]"], match.Mismatched);
        Assert.Equal(["encode_text.text_encoder.embeddings.position_ids"], match.Ignored);
        Assert.Equal(
            ["1 key(s) missing from the file:", "  encode_image.i3_resnet.bn1.bias", "1 key(s) not in the model:", "  encode_image.i3_resnet.fc.weight",
             "1 key(s) shape differs:", "  encode_text.linear_layer.weight: model [32,64], file [7,64]"],
            match.Describe());
    }

    [Fact]
    public void Copy_UpcastsHalfPrecisionExactly()
    {
        using var scope = NewDisposeScope();
        using var model = new MerlinModel(ModelPresets.Tiny with { Text = null });
        var half = model.state_dict().Select(kv => new KeyValuePair<string, Tensor>(kv.Key,
            kv.Value.is_floating_point() ? (randn(kv.Value.shape) * 1e-3).to(float16) : kv.Value.clone())).ToList();

        StateDictMatch.Copy(model, half);

        var loaded = model.state_dict();
        foreach (var (name, value) in half) Assert.True(TensorAssert.Same(value.to(loaded[name].dtype), loaded[name]), name);
        Assert.Equal(float32, loaded["encode_image.i3_resnet.conv1.weight"].dtype);
    }
}
