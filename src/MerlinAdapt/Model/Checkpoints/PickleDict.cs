namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// A dict or <c>collections.OrderedDict</c> from a pickle, in insertion order (a state dict's order is the module's
/// registration order, which the manifests and <c>load_state_dict</c> error messages follow). Assigning an existing
/// key replaces its value in place, as Python does.
/// </summary>
public sealed class PickleDict
{
    private readonly List<KeyValuePair<object?, object?>> _entries = [];
    private readonly Dictionary<object, int> _index = new(PickleKeyComparer.Instance);

    public PickleDict(bool ordered) => IsOrderedDict = ordered;

    /// <summary>True for <c>collections.OrderedDict</c> (what <c>state_dict()</c> returns), false for a plain dict.</summary>
    public bool IsOrderedDict { get; }

    public int Count => _entries.Count;

    public IReadOnlyList<KeyValuePair<object?, object?>> Entries => _entries;

    /// <summary>
    /// The instance state a BUILD opcode gave the dict: <c>state_dict()</c> attaches <c>_metadata</c> (module versions)
    /// this way. Kept for inspection; it holds only plain values.
    /// </summary>
    public object? Attributes { get; internal set; }

    public bool TryGetValue(object key, out object? value)
    {
        if (_index.TryGetValue(key, out var i))
        {
            value = _entries[i].Value;
            return true;
        }
        value = null;
        return false;
    }

    internal void Set(object? key, object? value)
    {
        var k = key ?? PickleKeyComparer.NoneKey;
        if (_index.TryGetValue(k, out var i)) _entries[i] = new(key, value);
        else
        {
            _index[k] = _entries.Count;
            _entries.Add(new(key, value));
        }
    }
}
