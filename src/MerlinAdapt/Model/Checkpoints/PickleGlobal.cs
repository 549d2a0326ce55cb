namespace MerlinAdapt.Model.Checkpoints;

/// <summary>
/// A global (module + name) that a pickle referenced and that <see cref="PickleAllowList"/> let through: a storage
/// class (<c>torch.FloatStorage</c>), a dtype (<c>torch.float16</c>) or one of the few rebuild callables. It is only a
/// name: nothing is imported or looked up, so holding one can never run code.
/// </summary>
public sealed record PickleGlobal(string Module, string Name)
{
    public string FullName => $"{Module}.{Name}";

    public override string ToString() => FullName;
}
