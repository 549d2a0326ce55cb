using System.CommandLine;
using System.Globalization;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Analysis;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using MerlinAdapt.Volumes;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`gradcam`: where in one scan the model sees the prompt set's positive class (3-D GradCAM on layer4).</summary>
internal static class GradCamCommand
{
    public static Command Create(CliContext context)
    {
        var model = new Option<string>("--model") { Description = "model folder", Required = true, HelpName = "DIR" };
        var adapter = new Option<string?>("--adapter") { Description = "adapter folder trained on --model", HelpName = "DIR" };
        var scanOption = new Option<string>("--scan") { Description = "the scan: a .nii/.nii.gz file or a DICOM folder", Required = true, HelpName = "SCAN" };
        var prompts = new Option<string>("--prompts") { Description = $"prompt set: {string.Join(", ", PromptSet.BuiltIn)}, or a JSON file", DefaultValueFactory = _ => "hcc" };
        var aggregation = new Option<string>("--aggregation") { Description = "mean-similarity (the paper) or mean-embedding (open_clip)", DefaultValueFactory = _ => "mean-similarity" }
            .AcceptOnlyFromAmong("mean-similarity", "mean-embedding");
        var output = new Option<string>("--out") { Description = "output folder", Required = true, HelpName = "DIR" };
        var spacing = Options.Spacing();
        var size = Options.Size();
        var depth = Options.Depth();
        var allowNan = Options.AllowNan();
        var volume = Options.Volume();
        var command = new Command("gradcam",
            "GradCAM of the zero-shot score (positive − negative prompt similarity) on the image encoder's last stage: " +
            "heatmap.nii.gz on the preprocessed grid, axial/coronal/sagittal PNGs through the peak (liver window), gradcam.json. " +
            "Preprocess with the options the model was trained with.")
        {
            model, adapter, scanOption, prompts, aggregation, output, spacing, size, depth, allowNan, volume,
        };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var modelDir = parse.GetValue(model)!;
            var adapterDir = parse.GetValue(adapter);
            var promptSet = PromptSet.Load(parse.GetValue(prompts)!);
            var options = Options.Preprocessing(parse, spacing, size, depth);
            // The scan first: a wrong path fails in a second, not after loading the model.
            var scan = new VolumeLoader(context.Logger).Load(parse.GetValue(scanOption)!, new VolumeLoadOptions
            {
                AllowNan = parse.GetValue(allowNan),
                VolumeIndex = parse.GetValue(volume),
            });
            var preprocessed = new CtPreprocessor(options).Process(scan.Volume);
            var (merlin, modelKey) = AdapterFolder.LoadForInference(modelDir, adapterDir);
            using (merlin)
            {
                using var tokenizer = ModelFolder.LoadTokenizer(modelDir);
                var embeddings = new PromptEncoder(merlin, tokenizer, modelKey).Encode(promptSet);
                var classifier = new ZeroShotClassifier(promptSet, embeddings,
                    parse.GetValue(aggregation) == "mean-embedding" ? PromptAggregation.MeanEmbedding : PromptAggregation.MeanSimilarity);
                var result = new GradCam(merlin, classifier).Compute(preprocessed);
                var outDir = parse.GetValue(output)!;
                var summary = GradCamOutputs.Summarise(result, scan.Source, modelDir, adapterDir, promptSet.Name, promptSet.Positive);
                GradCamOutputs.Write(outDir, result, preprocessed, options, summary);
                var (x, y, z) = result.PeakWorld;
                var where = result.Flat
                    ? $"no voxel carries evidence for {promptSet.Positive} (the heatmap is all zeros)"
                    : string.Create(CultureInfo.InvariantCulture, $"peak at voxel ({string.Join(", ", result.PeakVoxel)}) = ({x:0.0}, {y:0.0}, {z:0.0}) mm RAS");
                context.Output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"gradcam: {scan.Source}: score {result.Score:0.0000} (predicted {result.Prediction.Predicted}); {where} → {Path.GetFullPath(outDir)}"));
            }
            return 0;
        }));
        return command;
    }
}
