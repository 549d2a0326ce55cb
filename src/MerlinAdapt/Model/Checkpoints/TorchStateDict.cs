using System.Collections;
using System.Diagnostics.CodeAnalysis;
using TorchSharp;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// Named tensors read from a checkpoint (.pt or .safetensors), in the file's order, each contiguous, on the CPU and in
/// its stored dtype (float16 stays float16, 0-d stays 0-d: converting is the caller's decision, because the
/// model-parity fixtures are defined by exact fp16 → fp32 upcasts). It owns the tensors: disposing it disposes them, so
/// copy what must outlive it (<c>param.copy_(t)</c>, as <c>load_state_dict</c> does).
/// </summary>
public sealed class TorchStateDict : IReadOnlyList<KeyValuePair<string, torch.Tensor>>, IDisposable
{
    private readonly List<KeyValuePair<string, torch.Tensor>> _entries;
    private readonly Dictionary<string, int> _index;
    private bool _disposed;

    internal TorchStateDict(
        string sourcePath,
        List<KeyValuePair<string, torch.Tensor>> entries,
        string? wrapperKey = null,
        IReadOnlyList<string>? nonTensorKeys = null,
        IReadOnlyDictionary<string, string>? metadata = null)
    {
        SourcePath = sourcePath;
        _entries = entries;
        _index = new Dictionary<string, int>(entries.Count, StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++) _index[entries[i].Key] = i;
        WrapperKey = wrapperKey;
        NonTensorKeys = nonTensorKeys ?? [];
        Metadata = metadata ?? new Dictionary<string, string>();
    }

    public string SourcePath { get; }

    /// <summary>
    /// The top-level key the tensors were found under (<c>"state_dict"</c> for a training checkpoint such as
    /// <c>{"epoch": …, "state_dict": {…}}</c>), or null when the file's top level is the state dict itself.
    /// </summary>
    public string? WrapperKey { get; }

    /// <summary>Entries of the state dict that are not tensors (an <c>_extra_state</c> int, say); they are not loaded.</summary>
    public IReadOnlyList<string> NonTensorKeys { get; }

    /// <summary>A safetensors file's <c>__metadata__</c> (string → string); empty for .pt files.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    public int Count => _entries.Count;

    public IEnumerable<string> Names => _entries.Select(e => e.Key);

    public KeyValuePair<string, torch.Tensor> this[int index]
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _entries[index];
        }
    }

    public torch.Tensor this[string name] =>
        TryGetValue(name, out var tensor) ? tensor : throw new KeyNotFoundException($"{SourcePath} has no tensor named '{name}'");

    public bool ContainsKey(string name) => _index.ContainsKey(name);

    public bool TryGetValue(string name, [MaybeNullWhen(false)] out torch.Tensor tensor)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_index.TryGetValue(name, out var i))
        {
            tensor = _entries[i].Value;
            return true;
        }
        tensor = null;
        return false;
    }

    public IEnumerator<KeyValuePair<string, torch.Tensor>> GetEnumerator()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _entries.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        foreach (var (_, tensor) in _entries) tensor.Dispose();
    }
}
