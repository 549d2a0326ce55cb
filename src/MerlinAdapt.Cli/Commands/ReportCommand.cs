using System.CommandLine;
using MerlinAdapt.Reporting;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`report`: (re)builds the self-contained report.html of a run, evaluation, sweep, ablation or demo folder.</summary>
internal static class ReportCommand
{
    public static Command Create(CliContext context)
    {
        var folder = new Argument<string>("DIR") { Description = "run, evaluation, sweep, ablation or demo folder" };
        var title = new Option<string?>("--title") { Description = "page title (default: MerlinAdapt report: <folder name>)", HelpName = "T" };
        var command = new Command("report",
            "Write DIR/report.html: one self-contained page (tables, embedded plots, configuration, data counts, versions) that reads offline.")
        {
            folder, title,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            context.Output.WriteLine(HtmlReport.Write(parse.GetValue(folder)!, parse.GetValue(title)));
            return 0;
        }));
        return command;
    }
}
