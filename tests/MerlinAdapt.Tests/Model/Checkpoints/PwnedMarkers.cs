namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>
/// The files the hostile fixtures' payloads would create (<c>touch /tmp/PWNED_merlin_fixture*</c>). Every refusal test
/// asserts that none exists afterwards: the loader must never execute a pickle.
/// </summary>
internal static class PwnedMarkers
{
    public const string Prefix = "/tmp/PWNED_merlin_fixture";

    public static void AssertNone()
    {
        var found = Directory.Exists("/tmp")
            ? Directory.EnumerateFiles("/tmp", "PWNED_merlin_fixture*").ToList()
            : [];
        Assert.True(found.Count == 0, $"payload marker exists: {string.Join(", ", found)}");
    }
}
