using System.Numerics;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// Key equality for <see cref="PickleDict"/>: value equality for strings and numbers, element-wise for tuples
/// (optimizer states key by int, some checkpoints by tuple). Lists and dicts are unhashable in Python, so a pickle that
/// uses one as a key is corrupt and is rejected before it gets here.
/// </summary>
internal sealed class PickleKeyComparer : IEqualityComparer<object>
{
    public static readonly PickleKeyComparer Instance = new();

    /// <summary>Stands in for Python's None as a key (a .NET dictionary cannot hold a null key).</summary>
    public static readonly object NoneKey = new();

    public new bool Equals(object? x, object? y)
    {
        if (x is object?[] a && y is object?[] b)
        {
            if (a.Length != b.Length) return false;
            for (var i = 0; i < a.Length; i++)
                if (!Equals(a[i] ?? NoneKey, b[i] ?? NoneKey)) return false;
            return true;
        }
        if (x is BigInteger bx && y is BigInteger by) return bx == by;
        return object.Equals(x, y);
    }

    public int GetHashCode(object obj)
    {
        if (obj is not object?[] tuple) return obj.GetHashCode();
        var hash = new HashCode();
        foreach (var item in tuple) hash.Add(item is null ? 0 : GetHashCode(item));
        return hash.ToHashCode();
    }
}
