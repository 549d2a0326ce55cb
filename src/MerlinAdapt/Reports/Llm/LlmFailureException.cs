namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// The model gave no usable answer for one report. The message is a fixed phrase that never quotes the report or the
/// answer (it goes to logs and to reports.jsonl's fallback field), so reports with the same trouble count together.
/// </summary>
public sealed class LlmFailureException(string reason, bool endpointFailed) : Exception(reason)
{
    /// <summary>True when the endpoint did not answer (timeout, refused, HTTP error), false when it answered badly.</summary>
    public bool EndpointFailed { get; } = endpointFailed;
}
