using System.Text.Json;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Tests;

internal static class JsonExtensions
{
    public static int[] Ints(this JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();

    public static double[] Doubles(this JsonElement e) => e.EnumerateArray().Select(x => x.GetDouble()).ToArray();

    public static Affine ToAffine(this JsonElement e) =>
        Affine.FromRows(e.EnumerateArray().Select(row => (IReadOnlyList<double>)row.Doubles()).ToList());

    /// <summary>[i, j, k, value] probes; a null value means NaN.</summary>
    public static IEnumerable<(int I, int J, int K, double Value)> Probes(this JsonElement e) =>
        e.EnumerateArray().Select(p => (p[0].GetInt32(), p[1].GetInt32(), p[2].GetInt32(),
            p[3].ValueKind == JsonValueKind.Null ? double.NaN : p[3].GetDouble()));
}
