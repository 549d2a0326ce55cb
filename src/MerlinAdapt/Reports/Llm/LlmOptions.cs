namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// How to reach an OpenAI-compatible chat endpoint (vLLM, Ollama, llama.cpp's server) for report structuring.
/// The endpoint must be on this machine unless <see cref="AllowRemote"/> is set (<see cref="LlmEndpointPolicy"/>).
/// </summary>
public sealed record LlmOptions
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(120);
    public const int DefaultMaxAttempts = 3;

    /// <summary>The API base, e.g. http://127.0.0.1:8000/v1 (the client appends /chat/completions).</summary>
    public required Uri Endpoint { get; init; }

    /// <summary>The model name the server knows, e.g. Qwen/Qwen3-8B (the paper's extractor, Appendix B).</summary>
    public required string Model { get; init; }

    /// <summary>Send reports to a host other than this machine. Reports carry patient information: off by default.</summary>
    public bool AllowRemote { get; init; }

    /// <summary>Per request. An 8B model on one GPU answers a long report in well under this; a queue behind it may not.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Tries per request when the endpoint times out, cannot be reached, or answers 408, 429 or 5xx.</summary>
    public int MaxAttempts { get; init; } = DefaultMaxAttempts;

    /// <summary>Wait before the first retry; doubled before each further one.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// After this many reports in a row whose requests failed (not answered at all), the endpoint is taken to be
    /// down and the remaining reports go to the rules at once, instead of each waiting out its retries.
    /// </summary>
    public int MaxConsecutiveFailures { get; init; } = 5;

    /// <summary>Requests in flight at once. 1 suits llama.cpp's single slot; vLLM batches more.</summary>
    public int Jobs { get; init; } = 1;

    /// <summary>Folder of cached answers (null: no cache). The cache holds report text: keep it where the reports are.</summary>
    public string? CacheDirectory { get; init; }

    /// <summary>Bearer key for servers that want one; local servers ignore it.</summary>
    public string? ApiKey { get; init; }
}
