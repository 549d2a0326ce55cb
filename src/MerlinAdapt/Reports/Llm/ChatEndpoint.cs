using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using OpenAI;
using OpenAI.Chat;

namespace MerlinAdapt.Reports.Llm;

/// <summary>
/// One OpenAI-compatible chat endpoint, through the official OpenAI .NET client: a JSON-mode completion at temperature
/// 0, with a per-request timeout and retries with doubling back-off when the endpoint times out, cannot be reached,
/// or answers 408, 429 or 5xx. Failures surface as <see cref="LlmFailureException"/> with a fixed phrase.
/// </summary>
/// <remarks>
/// The client's own retry policy is off, so the retries, their count and their back-off are ours and testable. Nothing
/// here logs: the client library logs only when handed a logger factory, and none is handed to it.
/// </remarks>
internal sealed class ChatEndpoint
{
    private readonly ChatClient _client;
    private readonly LlmOptions _options;

    // Temperature 0: the same report gives the same structure, which is what makes the cache and reruns honest.
    private static readonly ChatCompletionOptions Completion = new()
    {
        Temperature = 0f,
        ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat(),
    };

    public ChatEndpoint(LlmOptions options)
    {
        LlmEndpointPolicy.Check(options.Endpoint, options.AllowRemote);
        _options = options;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,
            RetryPolicy = new ClientRetryPolicy(maxRetries: 0),
            // Our own timeout fires first; this only bounds a request that ignores cancellation.
            NetworkTimeout = options.Timeout + options.Timeout,
        };
        _client = new ChatClient(options.Model, new ApiKeyCredential(string.IsNullOrEmpty(options.ApiKey) ? "unused" : options.ApiKey), clientOptions);
    }

    /// <summary>The text of the model's answer.</summary>
    public async Task<string> CompleteAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancel)
    {
        var attempts = Math.Max(1, _options.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await CompleteOnceAsync(messages, cancel).ConfigureAwait(false);
            }
            catch (TransientFailure e)
            {
                if (attempt >= attempts)
                    throw new LlmFailureException(attempts > 1 ? $"{e.Message} ({attempts} attempts)" : e.Message, endpointFailed: true);
                var delay = _options.RetryDelay * Math.Pow(2, attempt - 1);
                if (delay > TimeSpan.Zero) await Task.Delay(delay, cancel).ConfigureAwait(false);
            }
        }
    }

    private async Task<string> CompleteOnceAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancel)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        timeout.CancelAfter(_options.Timeout);
        ChatCompletion completion;
        try
        {
            completion = (await _client.CompleteChatAsync(messages, Completion, timeout.Token).ConfigureAwait(false)).Value;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            throw new TransientFailure($"timed out after {_options.Timeout.TotalSeconds:0.###} s");
        }
        catch (ClientResultException e) when (e.Status == 0)
        {
            throw new TransientFailure(ConnectionProblem(e));
        }
        catch (ClientResultException e)
        {
            // The body of an error response may echo the request, so only the status is kept.
            var reason = $"the endpoint answered HTTP {e.Status}";
            if (e.Status is 408 or 429 or >= 500) throw new TransientFailure(reason);
            throw new LlmFailureException(reason, endpointFailed: true);
        }
        catch (HttpRequestException e)
        {
            throw new TransientFailure(ConnectionProblem(e));
        }
        catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException or ArgumentException)
        {
            throw new LlmFailureException("the endpoint's response is not an OpenAI chat completion", endpointFailed: true);
        }
        var text = new StringBuilder();
        foreach (var part in completion.Content)
        {
            if (part.Kind == ChatMessageContentPartKind.Text) text.Append(part.Text);
        }
        if (text.Length == 0) throw new LlmFailureException("the answer was empty", endpointFailed: false);
        return text.ToString();
    }

    /// <summary>A failure worth another try: the endpoint may be busy or starting.</summary>
    private sealed class TransientFailure(string reason) : Exception(reason);

    /// <summary>"connection refused", "host not found", …: from the socket error, never the message (which may carry the URL's query).</summary>
    private static string ConnectionProblem(Exception e)
    {
        var chain = new List<Exception>();
        for (var inner = e; inner is not null; inner = inner.InnerException) chain.Add(inner);
        if (chain.OfType<SocketException>().FirstOrDefault() is { } socket)
        {
            return socket.SocketErrorCode switch
            {
                SocketError.ConnectionRefused => "could not connect (connection refused)",
                SocketError.HostNotFound or SocketError.NoData => "could not connect (host not found)",
                SocketError.TimedOut => "could not connect (timed out)",
                var code => $"could not connect ({code})",
            };
        }
        if (chain.OfType<HttpRequestException>().FirstOrDefault(h => h.HttpRequestError != HttpRequestError.Unknown) is { } http)
            return $"could not reach the endpoint ({http.HttpRequestError})";
        return "could not reach the endpoint";
    }
}
