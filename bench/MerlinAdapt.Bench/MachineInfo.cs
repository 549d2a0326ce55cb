using System.Runtime.InteropServices;

namespace MerlinAdapt.Bench;

/// <summary>What a benchmark ran on, recorded with every result.</summary>
internal sealed record MachineInfo(string Cpu, int LogicalCores, string Os, string Runtime, DateTimeOffset When)
{
    public static MachineInfo Current() => new(CpuName(), Environment.ProcessorCount, RuntimeInformation.OSDescription,
        RuntimeInformation.FrameworkDescription, DateTimeOffset.UtcNow);

    private static string CpuName()
    {
        try
        {
            var line = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal));
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
