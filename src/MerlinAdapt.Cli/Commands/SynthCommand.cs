using System.CommandLine;
using MerlinAdapt.Cohorts.Synthetic;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`synth`: a synthetic cohort of hospital A or B — scans, reports, manifest and a tokenizer.json.</summary>
internal static class SynthCommand
{
    public static Command Create(CliContext context)
    {
        var defaults = new SyntheticCohortOptions();
        var output = new Option<string>("--out") { Description = "cohort folder (scans/, reports/, manifest.csv, tokenizer.json)", Required = true, HelpName = "DIR" };
        var hospital = new Option<string>("--hospital") { Description = "A (pretraining cohort) or B (target: noisier, thicker slices, RAS, other report style)", DefaultValueFactory = _ => "A", HelpName = "A|B" };
        var patients = new Option<int>("--patients") { Description = "number of patients (about a quarter get a follow-up scan)", DefaultValueFactory = _ => defaults.Patients, HelpName = "N" };
        var seed = new Option<int>("--seed") { Description = "random seed; the same arguments give the same files", DefaultValueFactory = _ => defaults.Seed, HelpName = "S" };
        var size = new Option<int[]>("--size")
        {
            Description = "voxels per scan, X,Y,Z",
            HelpName = "X,Y,Z",
            CustomParser = r => Options.ParseList(r, s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture), 3),
            DefaultValueFactory = _ => defaults.Size,
        };
        var prevalence = new Option<double>("--prevalence") { Description = "fraction of patients with HCC", DefaultValueFactory = _ => defaults.Prevalence, HelpName = "P" };
        var command = new Command("synth",
            "Synthesise a two-hospital-style CT cohort: portal-venous abdominal CTs with HCC or confounders (fatty or " +
            "cirrhotic liver, cysts, haemangiomas), a free-text report for each, a manifest with labels from the generator, " +
            "and a word-level tokenizer.json over the reports and the built-in prompts.")
        {
            output, hospital, patients, seed, size, prevalence,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var generator = new SyntheticCohortGenerator(new SyntheticCohortOptions
            {
                Hospital = HospitalProfile.Named(parse.GetValue(hospital)!),
                Patients = parse.GetValue(patients),
                Seed = parse.GetValue(seed),
                Size = parse.GetValue(size)!,
                Prevalence = parse.GetValue(prevalence),
            });
            var bar = context.Progress("synth", context.Interactive);
            var started = DateTime.UtcNow;
            var result = generator.Write(parse.GetValue(output)!, new Reporter<SyntheticCohortProgress>(p => bar.Update(p.Done, p.Total)), context.Cancel);
            context.Output.WriteLine(
                $"synth: hospital {generator.Options.Hospital.Name}, {result.Patients} patients, {result.Studies.Count} scans " +
                $"({result.Positive} HCC, {result.Studies.Count - result.Positive} negative) in {ConsoleProgressBar.Format(DateTime.UtcNow - started)} → {result.Directory}");
            context.Output.WriteLine($"synth: manifest {result.ManifestPath}; tokenizer {result.TokenizerPath}; phenotype labels {result.PhenotypesPath}");
            return 0;
        }));
        return command;
    }
}
