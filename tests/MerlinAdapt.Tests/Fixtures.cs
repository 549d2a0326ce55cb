using System.Text.Json;

namespace MerlinAdapt.Tests;

/// <summary>
/// Locates ../shared/fixtures (golden data from third-party tools, read in place, never copied). A user's clone has
/// no ../shared: tests that need it are skipped with a reason. In CI (CI=true) a missing ../shared is a failure.
/// </summary>
public static class Fixtures
{
    private static readonly Lazy<string?> Root = new(FindRoot);

    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The absolute path of a fixture file or folder; skips (or fails in CI) when ../shared is absent.</summary>
    public static string Path(string relative)
    {
        var root = Root.Value;
        if (root is null)
        {
            const string reason = "../shared/fixtures is not present next to this clone (only developers and CI have it)";
            if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
                throw new InvalidOperationException(reason + "; in CI it must be there");
            Assert.Skip(reason);
        }
        var path = System.IO.Path.Combine(root!, relative);
        if (!File.Exists(path) && !Directory.Exists(path)) throw new FileNotFoundException($"fixture missing: {path}");
        return path;
    }

    public static JsonElement Json(string relative)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path(relative)));
        return document.RootElement.Clone();
    }

    /// <summary>
    /// A tool the test needs (dcm2niix, chromium): its path on PATH; skipped when absent on a user's machine, a failure
    /// in CI, where test.sh installs it.
    /// </summary>
    public static string RequireTool(string name)
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => System.IO.Path.Combine(dir, name)).FirstOrDefault(File.Exists);
        if (found is not null) return found;
        var reason = $"{name} is not installed (./test.sh installs it as root)";
        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
            throw new InvalidOperationException(reason);
        Assert.Skip(reason);
        return "";
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "MerlinAdapt.slnx"))) return dir.FullName;
        throw new InvalidOperationException("cannot find the repository root (MerlinAdapt.slnx) above " + AppContext.BaseDirectory);
    }

    private static string? FindRoot()
    {
        var candidate = System.IO.Path.GetFullPath(System.IO.Path.Combine(RepositoryRoot, "..", "shared", "fixtures"));
        return Directory.Exists(candidate) ? candidate : null;
    }
}
