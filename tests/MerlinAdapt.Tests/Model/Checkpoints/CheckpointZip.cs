using System.IO.Compression;

namespace MerlinAdapt.Tests.Model.Checkpoints;

/// <summary>Builds torch.save-shaped zip archives from hand-written pickles, and reads single members of real ones.</summary>
internal static class CheckpointZip
{
    public static void Write(string path, byte[] pickle, IReadOnlyDictionary<string, byte[]>? storages = null,
        string archive = "archive", IReadOnlyDictionary<string, byte[]>? extraMembers = null)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        Add(zip, $"{archive}/data.pkl", pickle);
        foreach (var (key, bytes) in storages ?? new Dictionary<string, byte[]>()) Add(zip, $"{archive}/data/{key}", bytes);
        Add(zip, $"{archive}/version", "3\n"u8.ToArray());
        foreach (var (name, bytes) in extraMembers ?? new Dictionary<string, byte[]>()) Add(zip, $"{archive}/{name}", bytes);
    }

    /// <summary>The one member whose name ends with <paramref name="suffix"/> (e.g. "/data.pkl").</summary>
    public static byte[] ReadMember(string zipPath, string suffix)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        var entry = zip.Entries.Single(e => e.FullName.EndsWith(suffix, StringComparison.Ordinal));
        using var stream = entry.Open();
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    private static void Add(ZipArchive zip, string name, byte[] bytes)
    {
        // torch.save stores members uncompressed; so do we, to look like it.
        var entry = zip.CreateEntry(name, CompressionLevel.NoCompression);
        using var stream = entry.Open();
        stream.Write(bytes);
    }
}
