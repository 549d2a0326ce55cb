namespace MerlinAdapt.Volumes;

/// <summary>A scan as loaded: the volume, the file or DICOM folder it came from, and what was odd about it.</summary>
public sealed record LoadedScan(Volume Volume, string Source, bool FromDicom, IReadOnlyList<string> Warnings);
