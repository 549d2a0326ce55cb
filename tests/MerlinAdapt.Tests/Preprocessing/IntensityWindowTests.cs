using MerlinAdapt.Preprocessing;

namespace MerlinAdapt.Tests.Preprocessing;

public sealed class IntensityWindowTests
{
    [Fact]
    public void Apply_FollowsMonaiFloat32Order_ClipsAndKeepsNaN()
    {
        float[] hu = [-2000, -1000, 0, 1000, 3000, float.NaN, 37.3f];
        var output = new float[hu.Length];

        new IntensityWindow().ApplyInto(hu, output);

        Assert.Equal(0f, output[0]);
        Assert.Equal(0f, output[1]);
        Assert.Equal(0.5f, output[2]);
        Assert.Equal(1f, output[3]);
        Assert.Equal(1f, output[4]);
        Assert.True(float.IsNaN(output[5]));
        Assert.Equal((37.3f + 1000f) / 2000f, output[6]); // two float32 roundings, as MONAI
    }
}
