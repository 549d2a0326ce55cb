namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// The hidden acceptance set's kinds (fixtures/unsafe-checkpoints/README.md, "Hidden set") and their relatives, each
/// written opcode by opcode as Python's pickler would write it. Their payloads would touch
/// /tmp/PWNED_merlin_fixture_* if anything ever executed them.
/// </summary>
internal static class HostilePickleSet
{
    private const string M = PwnedMarkers.Prefix;

    public static readonly (string Kind, string Global, byte[] Pickle)[] All =
    [
        ("protocol-2 __builtin__ eval", "__builtin__.eval",
            new PickleBuilder().Proto(2).Global("__builtin__", "eval").Mark().Str($"__import__('os').system('touch {M}_eval')").Tuple().Reduce().Stop().ToArray()),
        ("protocol-2 __builtin__ exec", "__builtin__.exec",
            new PickleBuilder().Proto(2).Global("__builtin__", "exec").Mark().Str($"import os; os.system('touch {M}_exec')").Tuple().Reduce().Stop().ToArray()),
        ("posix system", "posix.system",
            new PickleBuilder().Proto(2).Global("posix", "system").Mark().Str($"touch {M}_posix").Tuple().Reduce().Stop().ToArray()),
        ("nt system", "nt.system",
            new PickleBuilder().Proto(2).Global("nt", "system").Mark().Str($"touch {M}_nt").Tuple().Reduce().Stop().ToArray()),
        ("subprocess Popen", "subprocess.Popen",
            new PickleBuilder().Proto(2).Global("subprocess", "Popen").Mark().EmptyList().Mark().Str("touch").Str($"{M}_popen").Op('e').Tuple().Reduce().Stop().ToArray()),
        ("protocol-2 commands getoutput", "commands.getoutput",
            new PickleBuilder().Proto(2).Global("commands", "getoutput").Mark().Str($"touch {M}_commands").Tuple().Reduce().Stop().ToArray()),
        ("getattr/__import__ chain", "__builtin__.getattr",
            new PickleBuilder().Proto(2).Global("__builtin__", "getattr").Mark()
                .Global("__builtin__", "__import__").Mark().Str("os").Tuple().Reduce()
                .Str("system").Tuple().Reduce()
                .Mark().Str($"touch {M}_getattr").Tuple().Reduce().Stop().ToArray()),
        ("__import__ alone", "__builtin__.__import__",
            new PickleBuilder().Proto(2).Global("__builtin__", "__import__").Mark().Str("os").Tuple().Reduce().Stop().ToArray()),
        ("protocol-4 STACK_GLOBAL builtins exec", "builtins.exec",
            new PickleBuilder().Proto(4).StackGlobal("builtins", "exec").Mark().ShortStr($"import os; os.system('touch {M}_stack')").Tuple().Reduce().Stop().ToArray()),
        ("INST os system", "os.system",
            new PickleBuilder().Proto(2).Mark().Str($"touch {M}_inst").Op('i').Raw("os\nsystem\n"u8.ToArray()).Stop().ToArray()),
        ("OBJ os system", "os.system",
            new PickleBuilder().Proto(2).Mark().Global("os", "system").Str($"touch {M}_obj").Op('o').Stop().ToArray()),
        ("NEWOBJ custom class", "merlin_fixture_custom.Payload",
            new PickleBuilder().Proto(2).Global("merlin_fixture_custom", "Payload").EmptyTuple().NewObj().EmptyDict().Build().Stop().ToArray()),
        ("collections Counter", "collections.Counter",
            new PickleBuilder().Proto(2).Global("collections", "Counter").Mark().EmptyDict().Tuple().Reduce().Stop().ToArray()),
        ("numpy reconstruct", "numpy.core.multiarray._reconstruct",
            new PickleBuilder().Proto(2).Global("numpy.core.multiarray", "_reconstruct").EmptyTuple().Reduce().Stop().ToArray()),
        ("torch loader inside torch", "torch.storage._load_from_bytes",
            new PickleBuilder().Proto(2).Global("torch.storage", "_load_from_bytes").Mark().Raw(0x43, 1, 0).Tuple().Reduce().Stop().ToArray()),
        ("a global nested deep in a valid state dict", "os.system",
            new PickleBuilder().Proto(2).OrderedDict().Mark()
                .Str("w").TensorV2("FloatStorage", "0", 2, 0, [2], [1])
                .Str("extra").EmptyList().Mark().Global("os", "system").Mark().Str($"touch {M}_nested").Tuple().Reduce().Op('e')
                .SetItems().Stop().ToArray()),
    ];

    public static byte[] Pickle(string kind) => All.Single(row => row.Kind == kind).Pickle;
}
