using System.Collections.Frozen;

namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// The only globals a state-dict pickle may name. An allow-list, not a deny-list: protocol-2 pickles spell builtins
/// <c>__builtin__</c> and reach <c>os.system</c> through <c>posix</c>, <c>getattr</c> chains or STACK_GLOBAL, so
/// any list of "dangerous" modules misses something (fixtures/unsafe-checkpoints/README.md, lessons 1–2).
/// <para>
/// What torch.save writes, checked against PyTorch's serialization code for 1.13 and 2.x: <c>collections.OrderedDict</c>
/// (the state dict and each tensor's empty backward-hook dict), <c>torch._utils._rebuild_tensor_v2</c> with a legacy
/// storage class <c>torch.&lt;T&gt;Storage</c> for every ordinary dtype (2.x still writes these names for typed
/// storages), <c>torch._utils._rebuild_parameter</c> when an <c>nn.Parameter</c> itself is saved, and, for dtypes new in
/// 2.x, <c>torch._utils._rebuild_tensor_v3</c> with <c>torch.UntypedStorage</c> and a <c>torch.&lt;dtype&gt;</c> value.
/// <c>torch.storage.TypedStorage</c> never appears as a global in torch.save output (a typed storage is written under
/// its legacy class name), so it is not allowed.
/// </para>
/// </summary>
public static class PickleAllowList
{
    internal enum Kind { OrderedDict, RebuildTensorV2, RebuildTensorV3, RebuildParameter, StorageClass, UntypedStorage, DType }

    private static readonly FrozenDictionary<string, Kind> Allowed = Build().ToFrozenDictionary(StringComparer.Ordinal);

    /// <summary>Every allowed global, as <c>module.name</c>.</summary>
    public static IReadOnlyCollection<string> Globals { get; } = Allowed.Keys.Order(StringComparer.Ordinal).ToArray();

    public static bool IsAllowed(string module, string name) => Allowed.ContainsKey($"{module}.{name}");

    internal static bool TryClassify(string module, string name, out Kind kind) =>
        Allowed.TryGetValue($"{module}.{name}", out kind);

    private static Dictionary<string, Kind> Build()
    {
        var rc = new Dictionary<string, Kind>(StringComparer.Ordinal)
        {
            ["collections.OrderedDict"] = Kind.OrderedDict,
            ["torch._utils._rebuild_tensor_v2"] = Kind.RebuildTensorV2,
            ["torch._utils._rebuild_tensor_v3"] = Kind.RebuildTensorV3,
            ["torch._utils._rebuild_parameter"] = Kind.RebuildParameter,
            // The class lives in torch/storage.py and is re-exported as torch.UntypedStorage; accept either spelling.
            ["torch.UntypedStorage"] = Kind.UntypedStorage,
            ["torch.storage.UntypedStorage"] = Kind.UntypedStorage,
        };
        foreach (var storage in new[] { "Float", "Half", "BFloat16", "Double", "Long", "Int", "Short", "Char", "Byte", "Bool" })
            rc[$"torch.{storage}Storage"] = Kind.StorageClass;
        foreach (var dtype in new[] { "float32", "float", "float16", "half", "bfloat16", "float64", "double", "int64", "long",
                                      "int32", "int", "int16", "short", "int8", "uint8", "bool" })
            rc[$"torch.{dtype}"] = Kind.DType;
        return rc;
    }
}
