namespace MerlinAdapt.Preprocessing;

/// <summary>Where a `prepare` run stands: scans finished (prepared, skipped as cached, or failed) out of the total.</summary>
public sealed record PrepareProgress(int Done, int Total, int Prepared, int Skipped, int Failed, string? LastStudy);
