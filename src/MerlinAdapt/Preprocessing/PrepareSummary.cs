namespace MerlinAdapt.Preprocessing;

/// <summary>The outcome of a `prepare` run.</summary>
public sealed record PrepareSummary(
    int Total,
    int Prepared,
    int Skipped,
    int Failed,
    bool Cancelled,
    TimeSpan Elapsed,
    string IndexPath,
    string FailuresPath,
    IReadOnlyList<PrepareFailure> Failures);

/// <summary>A scan `prepare` could not process, and why (one line).</summary>
public sealed record PrepareFailure(string StudyId, string Image, string Error);
