using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Cli;

/// <summary>What every command gets: where to print, a logger that prints warnings to stderr, and Ctrl-C.</summary>
internal sealed class CliContext(TextWriter output, TextWriter error, CancellationToken cancel)
{
    public TextWriter Output { get; } = output;
    public TextWriter Error { get; } = error;
    public CancellationToken Cancel { get; } = cancel;
    public ILogger Logger { get; } = new StderrLogger(error);

    /// <summary>Progress goes to stderr: a redrawn bar on a terminal, plain lines when stderr is redirected.</summary>
    public ConsoleProgressBar Progress(string label, bool interactive) => new(Error, label, interactive);

    public bool Interactive => ReferenceEquals(Error, Console.Error) && !Console.IsErrorRedirected;
}
