using System.CommandLine;
using MerlinAdapt.Cli.Commands;

namespace MerlinAdapt.Cli;

/// <summary>
/// The `merlin-adapt` command line: a thin shell over the library. Exit codes: 0 success; 1 a usage or input error,
/// reported as one line naming the file and the problem; 2 an internal error (a bug), whose stack trace goes to a
/// log file rather than the screen.
/// </summary>
public static class CliApp
{
    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        using var cancel = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            // First Ctrl-C: stop starting new work and keep what is finished; a second one ends the process.
            if (cancel.IsCancellationRequested) return;
            e.Cancel = true;
            cancel.Cancel();
            error.WriteLine("merlin-adapt: interrupting after the work in progress (Ctrl-C again to abort)");
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            var context = new CliContext(output, error, cancel.Token);
            string[] merged;
            try
            {
                merged = ConfigFile.Merge(args);
            }
            catch (InputException e)
            {
                error.WriteLine($"merlin-adapt: {e.Message}");
                return 1;
            }
            var root = BuildRoot(context);
            var invocation = new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false };
            if (merged.Length == 0)
            {
                root.Parse(["--help"]).Invoke(invocation);
                return 1;
            }
            var parse = root.Parse(merged);
            if (parse.Errors.Count > 0)
            {
                // One line, not the whole help page: what is wrong and where to look.
                var command = parse.CommandResult.Command;
                var name = command is RootCommand ? "merlin-adapt" : $"merlin-adapt {command.Name}";
                error.WriteLine($"merlin-adapt: {string.Join("; ", parse.Errors.Select(e => e.Message.TrimEnd('.')))} (see '{name} --help')");
                return 1;
            }
            return parse.Invoke(invocation);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }

    internal static RootCommand BuildRoot(CliContext context)
    {
        var root = new RootCommand(
            "merlin-adapt — adapt the Merlin 3D CT vision-language model to a hospital's own CT scans and reports, " +
            "and classify findings zero-shot. Options can also come from --config FILE.json (flags win).")
        {
            DemoCommand.Create(context),
            SynthCommand.Create(context),
            PreprocessCommand.Create(context),
            PrepareCommand.Create(context),
            StructureReportsCommand.Create(context),
            SplitCommand.Create(context),
            ImportCommand.Create(context),
            ParamsCommand.Create(context),
            EncodeCommand.Create(context),
            MergeCommand.Create(context),
            TrainCommand.Create(context),
            EvaluateCommand.Create(context),
            SweepCommand.Create(context),
            AblateCommand.Create(context),
            MetricsCommand.Create(context),
            EmbedCommand.Create(context),
            GradCamCommand.Create(context),
            TokenizeCommand.Create(context),
            ReportCommand.Create(context),
        };
        return root;
    }

    /// <summary>Runs a command body with the exit-code policy.</summary>
    internal static int Guard(CliContext context, Func<int> body)
    {
        try
        {
            return body();
        }
        catch (InputException e)
        {
            context.Error.WriteLine($"merlin-adapt: {e.Message}");
            return 1;
        }
        catch (OperationCanceledException)
        {
            context.Error.WriteLine("merlin-adapt: interrupted");
            return 130;
        }
        catch (Exception e)
        {
            var log = WriteCrashLog(e);
            context.Error.WriteLine($"merlin-adapt: internal error: {e.GetType().Name}: {e.Message.Split('\n')[0]} (details in {log}; please report it)");
            return 2;
        }
    }

    private static string WriteCrashLog(Exception e)
    {
        var directory = Path.Combine(Path.GetTempPath(), "merlin-adapt");
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"error-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{Environment.ProcessId}.log");
        File.WriteAllText(path, $"merlin-adapt {typeof(CliApp).Assembly.GetName().Version} {DateTime.UtcNow:O}\n{e}\n");
        return path;
    }
}
