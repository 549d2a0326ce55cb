using MerlinAdapt.Adaptation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Checkpoints;
using MerlinAdapt.Model.Tokenization;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// The model a run trains: the base (a model folder, or a freshly seeded preset saved as the run's own base),
/// the temperature initialised from --temperature in the chosen parameterisation, the adaptation mode applied,
/// and activation checkpointing (on by default for large image encoders).
/// </summary>
public static class TrainingSetup
{
    /// <summary>
    /// Creates the base of a new run; returns its folder and hash. A preset gets the tokenizer's vocabulary size and a
    /// copy of the tokenizer, so the run's base is a complete model folder.
    /// </summary>
    public static (string BaseDirectory, string Hash) PrepareBase(RunFolder run, string? modelDirectory, string? preset, string? tokenizerPath, int seed)
    {
        if (modelDirectory is not null)
        {
            if (tokenizerPath is not null) throw new InputException("--tokenizer", "only with --preset: a model folder brings its own tokenizer.json");
            return (Path.GetFullPath(modelDirectory), ModelFolder.WeightsHash(modelDirectory));
        }
        if (preset is null) throw new InputException("--model/--preset", "give a model folder (--model) or a preset to start from (--preset tiny)");
        if (tokenizerPath is null) throw new InputException("--tokenizer", $"--preset {preset} needs the tokenizer.json the reports are tokenised with (synth writes one)");
        var config = ModelPresets.Get(preset);
        using (var tokenizer = TextTokenizer.Load(tokenizerPath))
            config = config with { Text = config.Text! with { VocabSize = tokenizer.VocabularySize, PadId = tokenizer.PadId } };
        manual_seed(seed);
        using var model = new MerlinModel(config);
        ModelFolder.Save(model, run.BaseDirectory, tokenizerPath);
        return (run.BaseDirectory, ModelFolder.WeightsHash(run.BaseDirectory));
    }

    public static MerlinModel Build(RunConfig config, bool newRun)
    {
        var options = config.Options;
        var loaded = ModelFolder.Load(config.BaseModel);
        var model = loaded;
        if (options.TemperatureParameterization != loaded.Config.TemperatureParameterization)
        {
            // Same weights, the other temperature parameterisation.
            model = new MerlinModel(loaded.Config with { TemperatureParameterization = options.TemperatureParameterization });
            StateDictMatch.Copy(model, loaded.state_dict().Where(kv => kv.Key != "logit_scale").Select(kv => new KeyValuePair<string, Tensor>(kv.Key, kv.Value)).ToList());
            using var value = (options.TemperatureParameterization == TemperatureParameterization.Direct ? loaded.Temperature : -Math.Log(loaded.Temperature)).ToScalar();
            using (no_grad()) model.LogitScale.fill_(value);
            loaded.Dispose();
        }
        if (newRun && options.Temperature is { } tau)
        {
            if (!(tau > 0)) throw new InputException("--temperature", $"must be positive, got {tau}");
            using var noGrad = no_grad();
            using var value = (options.TemperatureParameterization == TemperatureParameterization.Direct ? tau : -Math.Log(tau)).ToScalar();
            model.LogitScale.fill_(value);
        }
        AdaptationPolicy.Apply(model, options.Mode, options.Lora, trainPhenotypeHead: options.PhenotypeWeight > 0);
        if (model.HasImageTower)
        {
            var large = model.Config.Image!.Planes[^1] >= 256;
            model.Image.Network.Checkpointing = (options.Checkpointing ?? large) ? CheckpointPolicy.Nested : CheckpointPolicy.None;
        }
        return model;
    }
}
