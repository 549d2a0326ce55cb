using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Cli;

/// <summary>Prints library warnings and errors as one line each on stderr ("warning: file: what").</summary>
internal sealed class StderrLogger(TextWriter error) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (!IsEnabled(logLevel)) return;
        var prefix = logLevel >= LogLevel.Error ? "error" : "warning";
        lock (error) error.WriteLine($"{prefix}: {formatter(state, exception)}");
    }
}
