using System.Text.Json;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests.Preprocessing;

/// <summary>One case of ../shared/fixtures/ct-preprocessing/golden: its input, settings and MONAI's outputs per stage.</summary>
internal sealed class MonaiGoldenCase
{
    private MonaiGoldenCase(string name, JsonElement json)
    {
        Name = name;
        Json = json;
    }

    public string Name { get; }
    public JsonElement Json { get; }

    public static MonaiGoldenCase Load(string name) => new(name, Fixtures.Json($"ct-preprocessing/golden/{name}.json"));

    public string InputPath => Fixtures.Path("ct-preprocessing/" + Json.GetProperty("input").GetString());

    public PreprocessingOptions Options
    {
        get
        {
            double[]? pixdim = null;
            int[]? size = null;
            foreach (var t in Json.GetProperty("transforms").EnumerateArray())
            {
                var args = t.GetProperty("args");
                switch (t.GetProperty("transform").GetString())
                {
                    case "Spacingd": pixdim = args.GetProperty("pixdim").Doubles(); break;
                    case "SpatialPadd": size = args.GetProperty("spatial_size").Ints(); break;
                }
            }
            return new PreprocessingOptions { Spacing = pixdim!, Size = size! };
        }
    }

    /// <summary>MONAI's output at a stage ("" = final), or null when the fixture does not store that stage.</summary>
    public (Volume Volume, Affine Affine, int[] ShapeChannelFirst)? Stage(string suffix)
    {
        var stem = suffix.Length == 0 ? Name : $"{Name}.{suffix}";
        var jsonPath = System.IO.Path.Combine(Fixtures.Path("ct-preprocessing/golden"), stem + ".json");
        if (!File.Exists(jsonPath)) return null;
        var json = suffix.Length == 0 ? Json : Fixtures.Json($"ct-preprocessing/golden/{stem}.json");
        var volume = NiftiReader.Read(Fixtures.Path("ct-preprocessing/" + json.GetProperty("output_file").GetString())).Volume;
        return (volume, json.GetProperty("affine").ToAffine(), json.GetProperty("output_shape_channel_first").Ints());
    }
}
