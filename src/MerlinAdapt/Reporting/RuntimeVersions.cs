using System.Reflection;
using System.Runtime.InteropServices;

namespace MerlinAdapt.Reporting;

/// <summary>What produced a report: MerlinAdapt's and TorchSharp's versions, the .NET runtime, the OS, the cores, and when.</summary>
public sealed record RuntimeVersions(string MerlinAdapt, string TorchSharp, string DotNet, string OperatingSystem, int Processors, DateTimeOffset GeneratedUtc)
{
    public static RuntimeVersions Current() => new(
        VersionOf(typeof(RuntimeVersions).Assembly),
        VersionOf(typeof(TorchSharp.torch).Assembly),
        $"{RuntimeInformation.FrameworkDescription} ({Environment.Version})",
        $"{RuntimeInformation.OSDescription} ({RuntimeInformation.OSArchitecture})",
        Environment.ProcessorCount,
        DateTimeOffset.UtcNow);

    /// <summary>The informational version (the package version, with the commit when the build knew it), else the assembly version.</summary>
    private static string VersionOf(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? assembly.GetName().Version?.ToString() ?? "unknown";

    public IEnumerable<(string Name, string Value)> Rows() =>
    [
        ("MerlinAdapt", MerlinAdapt), ("TorchSharp", TorchSharp), (".NET", DotNet), ("OS", OperatingSystem),
        ("processors", Processors.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        ("generated (UTC)", GeneratedUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)),
    ];
}
