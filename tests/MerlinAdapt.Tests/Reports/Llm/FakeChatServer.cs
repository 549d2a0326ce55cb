using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MerlinAdapt.Tests.Reports.Llm;

/// <summary>
/// A real HTTP server on 127.0.0.1 that speaks the OpenAI chat-completions protocol (POST /v1/chat/completions),
/// answering with whatever the test's handler says, so the LLM path runs through the actual client library and
/// network stack. Requests are recorded. <see cref="Hang"/> answers never, until the server is disposed.
/// </summary>
public sealed class FakeChatServer : IDisposable
{
    /// <summary>The handler's reply: an HTTP status and the assistant's message text (for 200).</summary>
    public sealed record Reply(int Status, string Content);

    public static readonly Reply Hang = new(-1, "");

    private readonly HttpListener _listener;
    private readonly Func<JsonObject, int, Reply> _handler;
    private readonly TaskCompletionSource _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<JsonObject> _requests = [];
    private readonly Task _loop;

    public FakeChatServer(Func<JsonObject, int, Reply> handler)
    {
        _handler = handler;
        (_listener, Endpoint) = Listen();
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>The API base to give the client, http://127.0.0.1:PORT/v1.</summary>
    public Uri Endpoint { get; }

    public IReadOnlyList<JsonObject> Requests
    {
        get { lock (_requests) return _requests.ToList(); }
    }

    /// <summary>Which prompt a request carries: "sections" or "organs" (from its system message).</summary>
    public static string Step(JsonObject request) =>
        request["messages"]![0]!["content"]!.ToString().Contains("sort the sentences", StringComparison.Ordinal) ? "organs" : "sections";

    /// <summary>The last user message: the report (sections step) or its findings and impression (organs step).</summary>
    public static string Question(JsonObject request) => request["messages"]!.AsArray()[^1]!["content"]!.ToString();

    /// <summary>A port on 127.0.0.1 where nothing listens: connecting to it is refused.</summary>
    public static int ClosedPort()
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        return port;
    }

    public void Dispose()
    {
        _released.TrySetResult();
        _listener.Close();
        try { _loop.Wait(TimeSpan.FromSeconds(5)); }
        catch (AggregateException) { }
    }

    private static (HttpListener, Uri) Listen()
    {
        for (var attempt = 0; ; attempt++)
        {
            var port = ClosedPort();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            try
            {
                listener.Start();
                return (listener, new Uri($"http://127.0.0.1:{port}/v1"));
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close(); // the port was taken in between: try another
            }
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            _ = Task.Run(() => AnswerAsync(context));
        }
    }

    private async Task AnswerAsync(HttpListenerContext context)
    {
        try
        {
            using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
            var request = JsonNode.Parse(await reader.ReadToEndAsync())!.AsObject();
            request["path"] = context.Request.Url!.AbsolutePath;
            int number;
            lock (_requests)
            {
                _requests.Add(request);
                number = _requests.Count;
            }
            var reply = _handler(request, number);
            if (ReferenceEquals(reply, Hang))
            {
                await _released.Task;
                context.Response.Abort();
                return;
            }
            context.Response.StatusCode = reply.Status;
            context.Response.ContentType = "application/json";
            var body = reply.Status == 200 ? Completion(reply.Content) : """{"error":{"message":"busy","type":"server_error"}}""";
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
        catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or IOException or InvalidOperationException)
        {
            // The client gave up (a timeout test) or the server is closing.
        }
    }

    private static string Completion(string content) => JsonSerializer.Serialize(new
    {
        id = "chatcmpl-test",
        @object = "chat.completion",
        created = 1_700_000_000,
        model = "test-model",
        choices = new[] { new { index = 0, message = new { role = "assistant", content }, finish_reason = "stop" } },
        usage = new { prompt_tokens = 10, completion_tokens = 10, total_tokens = 20 },
    });
}
