using System.Diagnostics;

namespace MerlinAdapt.Cli;

/// <summary>
/// A progress bar on stderr with count, rate and ETA. On a terminal it redraws one line; when stderr is redirected
/// (a log file, CI) it prints a plain line at every 10 % or 10 s instead, so logs stay readable.
/// </summary>
internal sealed class ConsoleProgressBar(TextWriter writer, string label, bool interactive)
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly object _lock = new();
    private TimeSpan _lastLine = TimeSpan.MinValue;
    private int _lastDecile = -1;
    private int _lastWidth;

    public void Update(int done, int total, string? detail = null)
    {
        lock (_lock)
        {
            var fraction = total > 0 ? (double)done / total : 1;
            var elapsed = _clock.Elapsed;
            var eta = done > 0 && done < total ? TimeSpan.FromSeconds(elapsed.TotalSeconds / done * (total - done)) : (TimeSpan?)null;
            var text = $"{label} {done}/{total} ({fraction:P0})" + (detail is null ? "" : $", {detail}") +
                       $", {Format(elapsed)} elapsed" + (eta is { } e ? $", eta {Format(e)}" : "");
            if (interactive)
            {
                const int width = 24;
                var filled = (int)Math.Round(fraction * width);
                var line = $"\r[{new string('#', filled)}{new string('.', width - filled)}] {text}";
                writer.Write(line.PadRight(_lastWidth));
                _lastWidth = line.Length;
                if (done >= total) writer.WriteLine();
                writer.Flush();
                return;
            }
            var decile = (int)(fraction * 10);
            if (decile == _lastDecile && elapsed - _lastLine < TimeSpan.FromSeconds(10) && done < total) return;
            _lastDecile = decile;
            _lastLine = elapsed;
            writer.WriteLine(text);
        }
    }

    internal static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{t.TotalSeconds:0.0}s";
}
