using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Adaptation;

/// <summary>
/// Replaces a child module in place — in the parent's registry (so parameters() and state_dict() see the new one)
/// and in the C# field that the parent's forward calls. Used to wrap layers in adapters and to unwrap them again.
/// </summary>
public static class ModuleSurgery
{
    /// <summary>Every (parent, child name, child) below <paramref name="root"/>, with the child's dotted path.</summary>
    public static IEnumerable<(string Path, nn.Module Parent, string Name, nn.Module Child)> Children(nn.Module root, string prefix = "")
    {
        foreach (var (name, child) in root.named_children())
        {
            var path = prefix.Length == 0 ? name : $"{prefix}.{name}";
            yield return (path, root, name, child);
            foreach (var nested in Children(child, path)) yield return nested;
        }
    }

    public static void Replace(nn.Module parent, string name, nn.Module replacement)
    {
        var old = parent.named_children().FirstOrDefault(c => c.name == name).module
                  ?? throw new InvalidOperationException($"{parent.GetName()} has no child \"{name}\"");
        var field = parent.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
                        .FirstOrDefault(f => ReferenceEquals(f.GetValue(parent), old))
                    ?? throw new InvalidOperationException($"no field of {parent.GetType().Name} holds child \"{name}\"");
        if (field.IsInitOnly || !field.FieldType.IsInstanceOfType(replacement))
            throw new InvalidOperationException($"{parent.GetType().Name}.{field.Name} cannot hold a {replacement.GetType().Name}");
        parent.register_module(name, null!);
        parent.register_module(name, replacement);
        field.SetValue(parent, replacement);
    }
}
