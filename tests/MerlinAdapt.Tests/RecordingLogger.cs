using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Tests;

/// <summary>Collects formatted log messages, to check that warnings name their file.</summary>
public sealed class RecordingLogger : ILogger
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages
    {
        get { lock (_messages) return _messages.ToList(); }
    }

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        lock (_messages) _messages.Add($"{logLevel}: {formatter(state, exception)}");
    }
}
