using Mono.Cecil;
using Mono.Cecil.Cil;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Tests;

/// <summary>
/// No temporary TorchSharp Scalar anywhere in the compiled library or CLI (<see cref="KeptScalars"/> says why): the
/// test reads the IL of MerlinAdapt.dll and merlin-adapt.dll and of TorchSharp.dll itself, so it also finds the
/// Scalars that TorchSharp creates inside a call such as <c>a + b</c>.
/// </summary>
public sealed class KeptScalarsTests
{
    [Fact]
    public void CompiledCode_KeepsEveryScalarAliveThroughItsNativeCall()
    {
        var torchSharp = AssemblyDefinition.ReadAssembly(typeof(torch).Assembly.Location);
        var creators = ScalarCreatingMethods(torchSharp);
        // A sanity check that the scan sees what it must: the + operator's hidden alpha, the optimiser's step and
        // BatchNorm's batch counter.
        Assert.Contains(creators, name => name.Contains("Tensor::op_Addition(TorchSharp.torch/Tensor,TorchSharp.torch/Tensor)"));
        Assert.Contains(UnsafeVirtuals(torchSharp.MainModule.GetType("TorchSharp.Modules.AdamW"), creators), m => m.Name == "step");
        Assert.Contains(UnsafeVirtuals(torchSharp.MainModule.GetType("TorchSharp.Modules.BatchNorm3d"), creators), m => m.Name == "forward");

        var findings = new List<string>();
        foreach (var location in new[] { typeof(KeptScalars).Assembly.Location, typeof(MerlinAdapt.Cli.CliApp).Assembly.Location })
        {
            using var assembly = AssemblyDefinition.ReadAssembly(location, new ReaderParameters { ReadSymbols = true });
            var types = new HashSet<TypeDefinition>(assembly.MainModule.GetTypes().Where(t => Chain(t).Skip(1).Any(b => b.Module == torchSharp.MainModule)));
            foreach (var method in assembly.MainModule.GetTypes().SelectMany(t => t.Methods).Where(m => m.HasBody))
                foreach (var instruction in method.Body.Instructions)
                {
                    if (Finding(method, instruction, creators) is { } finding) findings.Add($"{Where(method, instruction)}: {finding}");
                    if (instruction.Operand is MethodReference called)
                        foreach (var used in new[] { instruction.OpCode.Code == Code.Newobj ? called.DeclaringType : null, called.ReturnType })
                            if (used?.Resolve() is { } definition && definition.Module == torchSharp.MainModule) types.Add(definition);
                }
            // A module's forward or an optimiser's step runs through a virtual call the scan above cannot follow.
            foreach (var type in types)
                foreach (var inherited in UnsafeVirtuals(type, creators))
                    findings.Add($"{type.FullName}: its {inherited.DeclaringType.Name}.{inherited.Name} creates temporary Scalars");
        }

        Assert.True(findings.Count == 0, $"{findings.Count} temporary Scalar(s):\n" + string.Join("\n", findings.Distinct()));
    }

    [Fact]
    public void Arange_AndFull_GiveTorchsValues()
    {
        using var range = KeptScalars.Arange(3, 7);
        using var filled = KeptScalars.Full([2, 3], 2.5, ScalarType.Float64);

        Assert.Equal(ScalarType.Int64, range.dtype);
        Assert.Equal([3L, 4, 5, 6], range.data<long>().ToArray());
        Assert.Equal([2L, 3], filled.shape);
        Assert.All(filled.data<double>().ToArray(), v => Assert.Equal(2.5, v));
    }

    private static bool IsScalarCreation(MethodReference m) =>
        m.DeclaringType.FullName == "TorchSharp.Scalar" && m.Name == "op_Implicit"
        || m.DeclaringType.FullName == "TorchSharp.ScalarExtensionMethods" && m.Name.StartsWith("To", StringComparison.Ordinal) && m.Name.EndsWith("Scalar", StringComparison.Ordinal);

    /// <summary>TorchSharp's methods that create a Scalar they do not dispose, directly or through another such method.</summary>
    private static HashSet<string> ScalarCreatingMethods(AssemblyDefinition torchSharp)
    {
        var methods = torchSharp.MainModule.GetTypes().Where(t => t.FullName is not ("TorchSharp.Scalar" or "TorchSharp.ScalarExtensionMethods"))
            .SelectMany(t => t.Methods).Where(m => m.HasBody).ToList();
        var creators = methods.Where(m =>
                m.Body.Instructions.Any(i => i.Operand is MethodReference r && IsScalarCreation(r))
                && !m.Body.Instructions.Any(i => i.Operand is MethodReference { Name: "Dispose" } r
                                                 && r.DeclaringType.FullName is "TorchSharp.Scalar" or "System.IDisposable"))
            .Select(m => m.FullName).ToHashSet();
        for (var grew = true; grew;)
        {
            grew = false;
            foreach (var m in methods.Where(m => !creators.Contains(m.FullName)))
                if (m.Body.Instructions.Any(i => i.Operand is MethodReference r && creators.Contains(r.FullName)))
                    grew = creators.Add(m.FullName);
        }
        return creators;
    }

    private static string? Finding(MethodDefinition method, Instruction instruction, HashSet<string> creators)
    {
        if (instruction.Operand is not MethodReference called) return null;
        if (IsScalarCreation(called))
        {
            var next = instruction.Next;
            if (next.OpCode.Code is Code.Stfld or Code.Stsfld) return null;
            if (Local(method, next, store: true) is { } local && IsDisposed(method, local)) return null;
            return $"a Scalar from {called.Name} that is neither a field nor a using variable";
        }
        if (creators.Contains(called.FullName))
            return $"{called.DeclaringType.Name}::{called.Name} creates a temporary Scalar inside TorchSharp";
        return null;
    }

    private static readonly Code[] ShortStores = [Code.Stloc_0, Code.Stloc_1, Code.Stloc_2, Code.Stloc_3];
    private static readonly Code[] ShortLoads = [Code.Ldloc_0, Code.Ldloc_1, Code.Ldloc_2, Code.Ldloc_3];

    /// <summary>The local that <paramref name="instruction"/> stores to (or loads from); null for any other instruction.</summary>
    private static VariableDefinition? Local(MethodDefinition method, Instruction instruction, bool store)
    {
        var code = instruction.OpCode.Code;
        var slot = Array.IndexOf(store ? ShortStores : ShortLoads, code);
        if (slot >= 0) return method.Body.Variables[slot];
        return code == (store ? Code.Stloc_S : Code.Ldloc_S) || code == (store ? Code.Stloc : Code.Ldloc) ? (VariableDefinition)instruction.Operand : null;
    }

    /// <summary>The shape a <c>using</c> declaration compiles to: the local is loaded and Dispose is called on it.</summary>
    private static bool IsDisposed(MethodDefinition method, VariableDefinition local) =>
        method.Body.Instructions.Any(i => Local(method, i, store: false) == local && i.Next?.Operand is MethodReference { Name: "Dispose" });

    private static IEnumerable<TypeDefinition> Chain(TypeDefinition type)
    {
        for (TypeDefinition? t = type; t is not null; t = t.BaseType?.Resolve()) yield return t;
    }

    /// <summary>The virtual methods a type runs (its own or the nearest inherited implementation) that create temporary Scalars.</summary>
    private static IEnumerable<MethodDefinition> UnsafeVirtuals(TypeDefinition type, HashSet<string> creators)
    {
        var seen = new HashSet<string>();
        foreach (var method in Chain(type).SelectMany(t => t.Methods).Where(m => m.IsVirtual))
        {
            var signature = method.Name + "(" + string.Join(",", method.Parameters.Select(p => p.ParameterType.FullName)) + ")";
            if (seen.Add(signature) && creators.Contains(method.FullName)) yield return method;
        }
    }

    private static string Where(MethodDefinition method, Instruction instruction)
    {
        var point = method.Body.Instructions.TakeWhile(i => i != instruction).Append(instruction)
            .Select(i => method.DebugInformation.GetSequencePoint(i)).LastOrDefault(p => p is not null && !p.IsHidden);
        return point is null ? method.FullName : $"{Path.GetFileName(point.Document.Url)}:{point.StartLine} ({method.DeclaringType.Name}.{method.Name})";
    }
}
