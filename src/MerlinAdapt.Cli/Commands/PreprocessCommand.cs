using System.CommandLine;
using System.Diagnostics;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`preprocess`: one scan (NIfTI file or DICOM folder) → the model-ready volume as float32 NIfTI.</summary>
internal static class PreprocessCommand
{
    public static Command Create(CliContext context)
    {
        var input = new Option<string>("--in") { Description = "the scan: a .nii/.nii.gz file or a DICOM folder", Required = true, HelpName = "SCAN" };
        var output = new Option<string>("--out") { Description = "where to write the model-ready volume (.nii or .nii.gz)", Required = true, HelpName = "OUT.nii.gz" };
        var spacing = Options.Spacing();
        var size = Options.Size();
        var depth = Options.Depth();
        var allowNan = Options.AllowNan();
        var volume = Options.Volume();
        var command = new Command("preprocess",
            "Preprocess one scan exactly as Merlin's MONAI pipeline does (RAS, resample, HU −1000..1000 → 0..1, pad/crop) " +
            "and write it as float32 NIfTI with its affine, to look at in any viewer. A 4-D file gives one channel per volume.")
        {
            input, output, spacing, size, depth, allowNan, volume,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var outPath = parse.GetValue(output)!;
            if (!outPath.EndsWith(".nii", StringComparison.OrdinalIgnoreCase) && !outPath.EndsWith(".nii.gz", StringComparison.OrdinalIgnoreCase))
                throw new InputException(outPath, "output must end in .nii or .nii.gz");
            var options = Options.Preprocessing(parse, spacing, size, depth);
            var clock = Stopwatch.StartNew();
            var scan = new VolumeLoader(context.Logger).Load(parse.GetValue(input)!, new VolumeLoadOptions
            {
                AllowNan = parse.GetValue(allowNan),
                VolumeIndex = parse.GetValue(volume),
            });
            var result = new CtPreprocessor(options).Process(scan.Volume);
            NiftiWriter.Write(result, outPath);
            context.Output.WriteLine($"{scan.Source}: {scan.Volume} ({RasOrientation.AxisLetters(scan.Volume.Affine)}) → " +
                                     $"{outPath}: {result} (RAS, 0..1), {clock.Elapsed.TotalSeconds:0.00} s");
            return 0;
        }));
        return command;
    }
}
