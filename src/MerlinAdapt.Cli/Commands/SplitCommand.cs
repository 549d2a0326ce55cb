using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Cohorts;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`split`: patient-level stratified train/val/test split into a new manifest.</summary>
internal static class SplitCommand
{
    public static Command Create(CliContext context)
    {
        var manifest = new Option<string>("--manifest") { Description = "manifest to split", Required = true, HelpName = "M" };
        var ratios = new Option<string>("--ratios") { Description = "train,val,test fractions", DefaultValueFactory = _ => "0.6,0.2,0.2" };
        var seed = new Option<int>("--seed") { Description = "shuffle seed", DefaultValueFactory = _ => 42 };
        var positive = new Option<string>("--positive") { Description = "label of the positive class (a patient is positive if any scan is)", DefaultValueFactory = _ => "HCC" };
        var output = new Option<string>("--out") { Description = "the new manifest with the split column filled", Required = true, HelpName = "M2" };
        var command = new Command("split", "Patient-level train/val/test split, stratified by label; no patient is in two splits.")
        {
            manifest, ratios, seed, positive, output,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var cohort = Manifest.Load(parse.GetValue(manifest)!);
            double[] fractions;
            try { fractions = parse.GetValue(ratios)!.Split(',').Select(r => double.Parse(r, CultureInfo.InvariantCulture)).ToArray(); }
            catch (FormatException) { throw new InputException("--ratios", $"\"{parse.GetValue(ratios)}\" is not three numbers"); }
            var rows = PatientSplitter.Split(cohort.Entries, fractions, parse.GetValue(seed), parse.GetValue(positive)!, out var summary);
            cohort.Save(parse.GetValue(output)!, rows);
            foreach (var (name, (patients, scans, pos)) in summary.Splits)
                context.Output.WriteLine($"split: {name,-5} {patients,5} patients {scans,6} scans {pos,5} positive");
            context.Output.WriteLine($"split: no patient in two splits (checked) → {Path.GetFullPath(parse.GetValue(output)!)}");
            return 0;
        }));
        return command;
    }
}
