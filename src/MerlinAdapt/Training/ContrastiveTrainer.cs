using System.Diagnostics;
using MerlinAdapt.Adaptation;
using MerlinAdapt.Evaluation;
using MerlinAdapt.Model;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Preprocessing;
using MerlinAdapt.Reporting;
using TorchSharp;
using static TorchSharp.torch;

namespace MerlinAdapt.Training;

/// <summary>
/// Self-supervised CT–report contrastive fine-tuning (paper §2.4.3): per optimiser step an effective batch of
/// micro-batches (plain accumulation or GradCache), symmetric InfoNCE with the learnable temperature, AdamW with
/// cosine decay to zero; the text view alternates between the full report and the anatomy-ordered one; each epoch
/// ends with validation loss and validation zero-shot F1 (the prompt set, <see cref="ZeroShotClassifier"/>), early
/// stopping on F1 with patience, metrics.csv, checkpoints/last (resumable exactly) and checkpoints/best.
/// </summary>
public sealed class ContrastiveTrainer(MerlinModel model, TextTokenizer tokenizer, ScanSource scans, RunFolder run, RunConfig config,
    PhenotypeLabels? phenotypes = null)
{
    private readonly TrainingOptions _options = config.Options;

    public TrainingSummary Train(IReadOnlyList<TrainingPair> train, IReadOnlyList<TrainingPair> validation, bool resume,
        IProgress<TrainingProgress>? progress = null, CancellationToken cancel = default)
    {
        if (train.Count < 2) throw new InputException(config.Manifest, $"the train split has {train.Count} pair(s); contrastive learning needs at least 2");
        var prompts = PromptSet.Load(_options.Prompts);
        var groups = OptimizerGroups.Build(model, _options.EffectiveLearningRate, _options.WeightDecay, _options.LayerDecay);
        var optimizer = OptimizerGroups.AdamW(groups);
        var metrics = resume ? run.ReadMetrics() : [];
        var state = new TrainerState();
        if (resume)
        {
            state = run.ReadState("last");
            run.LoadCheckpoint("last", model, config, optimizer);
            metrics = metrics.Where(m => m.Epoch < state.Epoch).ToList();
            run.Log($"resumed at epoch {state.Epoch + 1}, step {state.StepInEpoch}");
        }
        if (state.Finished) return new TrainingSummary(state.Epoch, state.BestF1 ?? double.NaN, state.BestEpoch, state.StopReason ?? "finished", false, run.Directory);

        var batchSize = Math.Min(_options.BatchSize, train.Count);
        var microPerEpoch = train.Count / batchSize; // a last partial micro-batch is dropped, as a DataLoader with drop_last
        var stepsPerEpoch = Math.Max(1, (int)Math.Ceiling(microPerEpoch / (double)_options.Accumulation));
        var totalSteps = (long)stepsPerEpoch * _options.Epochs;
        var step = new ContrastiveStep(model, phenotypes is null ? 0 : _options.PhenotypeWeight);
        var clock = Stopwatch.StartNew();
        if (!resume && _options.ValidateStart && state.GlobalStep == 0)
        {
            state = ValidateStartingModel(train, validation, prompts, batchSize, state);
            progress?.Report(new TrainingProgress(0, _options.Epochs, 0, stepsPerEpoch, double.NaN, model.Temperature, optimizer.ParamGroups.First().LearningRate, StartDone: state.Start));
        }

        for (var epoch = state.Epoch; epoch < _options.Epochs; epoch++)
        {
            var order = EpochOrder(train.Count, epoch);
            var epochStart = clock.Elapsed.TotalSeconds - state.SecondsInEpoch;
            for (var s = state.StepInEpoch; s < stepsPerEpoch; s++)
            {
                var firstMicro = s * _options.Accumulation;
                var micro = Enumerable.Range(firstMicro, Math.Min(_options.Accumulation, microPerEpoch - firstMicro))
                    .Select(m => order.Skip(m * batchSize).Take(batchSize).Select(i => train[i]).ToList()).ToList();
                var anatomyView = state.GlobalStep % 2 == 1;
                foreach (var (g, group) in optimizer.ParamGroups.Zip(groups))
                    g.LearningRate = group.LearningRate * CosineSchedule.Factor(state.GlobalStep, totalSteps);
                AdaptationPolicy.Train(model, _options.Mode);
                optimizer.zero_grad();
                double loss;
                // The optimiser stays outside: AdamW creates its state tensors lazily in its first step.
                using (var scope = NewDisposeScope())
                {
                    var batches = micro.Select(pairs => Batch(pairs, anatomyView, state.GlobalStep)).ToList();
                    try { loss = step.Run(batches, _options.GradCache); }
                    finally { foreach (var b in batches) b.Dispose(); }
                }
                optimizer.step();
                ClampTemperature();
                state = state with
                {
                    StepInEpoch = s + 1, GlobalStep = state.GlobalStep + 1, LossSum = state.LossSum + loss, LossCount = state.LossCount + 1,
                    SecondsInEpoch = clock.Elapsed.TotalSeconds - epochStart,
                };
                progress?.Report(new TrainingProgress(epoch, _options.Epochs, s + 1, stepsPerEpoch, loss, model.Temperature, optimizer.ParamGroups.First().LearningRate));
                if (cancel.IsCancellationRequested && s + 1 < stepsPerEpoch)
                {
                    run.SaveCheckpoint("last", model, config, optimizer, state with { Epoch = epoch });
                    run.Log($"interrupted in epoch {epoch + 1} after step {s + 1}; checkpoints/last written");
                    return new TrainingSummary(epoch, state.BestF1 ?? double.NaN, state.BestEpoch, "interrupted", true, run.Directory);
                }
            }

            if (_options.PreciseBatchNorm) BatchNormStatistics.Recompute(model, train.Select(p => p.StudyId), batchSize, scans);
            var (valLoss, valF1, valAuc) = Validate(validation, prompts);
            var seconds = clock.Elapsed.TotalSeconds - epochStart;
            var row = new EpochMetrics(epoch, state.LossSum / Math.Max(1, state.LossCount), valLoss, valF1, valAuc, model.Temperature,
                optimizer.ParamGroups.First().LearningRate, seconds, microPerEpoch * batchSize / Math.Max(seconds, 1e-9));
            metrics.Add(row);
            run.WriteMetrics(metrics);
            LossCurvePlot.Save(Path.Combine(run.PlotsDirectory, "loss.png"), metrics, $"{_options.Mode.Name()} τ₀={_options.Temperature?.ToString() ?? "model"}");
            run.Log($"epoch {epoch + 1}: train loss {row.TrainLoss:0.0000}, val loss {valLoss:0.0000}, val F1 {valF1:0.000}, AUC {valAuc:0.000}, τ {row.Temperature:0.0000}");

            var improved = double.IsFinite(valF1) && (state.BestF1 is not { } best || valF1 > best);
            state = state with
            {
                Epoch = epoch + 1, StepInEpoch = 0, LossSum = 0, LossCount = 0, SecondsInEpoch = 0,
                BestF1 = improved ? valF1 : state.BestF1, BestEpoch = improved ? epoch : state.BestEpoch,
                EpochsWithoutImprovement = improved ? 0 : state.EpochsWithoutImprovement + 1,
            };
            if (improved) run.SaveCheckpoint("best", model, config, null, state);
            var stop = double.IsFinite(valF1) && state.EpochsWithoutImprovement >= _options.Patience;
            var finished = stop || epoch + 1 == _options.Epochs;
            if (finished) state = state with { Finished = true, StopReason = stop ? $"no better validation F1 for {_options.Patience} epochs" : "all epochs done" };
            run.SaveCheckpoint("last", model, config, optimizer, state);
            progress?.Report(new TrainingProgress(epoch, _options.Epochs, stepsPerEpoch, stepsPerEpoch, row.TrainLoss, row.Temperature, row.LearningRate, row));
            if (finished) break;
            if (cancel.IsCancellationRequested)
            {
                run.Log($"interrupted after epoch {epoch + 1}; checkpoints/last written");
                return new TrainingSummary(epoch + 1, state.BestF1 ?? double.NaN, state.BestEpoch, "interrupted", true, run.Directory);
            }
        }
        run.Log($"finished: {state.StopReason}; best validation F1 {state.BestF1 ?? double.NaN:0.000} at epoch {state.BestEpoch + 1}");
        return new TrainingSummary(state.Epoch, state.BestF1 ?? double.NaN, state.BestEpoch, state.StopReason ?? "finished", false, run.Directory);
    }

    /// <summary>The epoch's data order: a permutation seeded by (seed, epoch), so a resumed run sees the same batches.</summary>
    private int[] EpochOrder(int count, int epoch)
    {
        var random = new Random(unchecked(_options.Seed * 1_000_003 + epoch));
        var order = Enumerable.Range(0, count).ToArray();
        random.Shuffle(order);
        return order;
    }

    /// <param name="step">The global step, for report splitting; null (validation) = always the full report.</param>
    private MicroBatch Batch(IReadOnlyList<TrainingPair> pairs, bool anatomyView, long? step = null)
    {
        var texts = pairs.Select(p =>
        {
            var usual = anatomyView && p.AnatomyReport is { Length: > 0 } a ? a : p.Report;
            return step is { } s && _options.FullReportProbability is { } full ? ReportSplitting.Text(p, usual, full, _options.Seed, s) : usual;
        }).ToList();
        var tokens = tokenizer.EncodeBatch(texts, model.Config.Text!.MaxTokens, sanitize: true);
        Tensor? labels = null;
        if (phenotypes is not null)
        {
            var rows = pairs.Select(p => phenotypes.Of(p.StudyId)).ToList();
            labels = tensor(rows.SelectMany(r => r).ToArray(), [rows.Count, phenotypes.Codes.Count]);
        }
        return new MicroBatch(VolumeTensor.Batch(pairs.Select(p => scans.Get(p.StudyId))), tensor(tokens.Ids), tensor(tokens.AttentionMask), labels);
    }

    private void ClampTemperature()
    {
        if (model.Config.TemperatureParameterization != TemperatureParameterization.Direct) return;
        using var noGrad = no_grad();
        model.LogitScale.clamp_(min: MerlinModel.TemperatureFloor);
    }

    private TrainerState ValidateStartingModel(IReadOnlyList<TrainingPair> train, IReadOnlyList<TrainingPair> validation, PromptSet prompts, int batchSize,
        TrainerState state)
    {
        // A look, not a step: the buffers go back afterwards, so the epochs train exactly as without it (adapter modes
        // train with the base's BatchNorm in eval mode, where recomputed statistics would change every step).
        using var buffers = new BufferSnapshot(model);
        try
        {
            if (_options.PreciseBatchNorm) BatchNormStatistics.Recompute(model, train.Select(p => p.StudyId), batchSize, scans);
            var (valLoss, valF1, valAuc) = Validate(validation, prompts);
            run.Log($"start: val loss {valLoss:0.0000}, val F1 {valF1:0.000}, AUC {valAuc:0.000}, τ {model.Temperature:0.0000}");
            state = state with { Start = new TrainerState.StartValidation(valLoss, valF1, valAuc) };
            if (!double.IsFinite(valF1)) return state;
            state = state with { BestF1 = valF1, BestEpoch = TrainerState.StartEpoch };
            run.SaveCheckpoint("best", model, config, null, state);
            return state;
        }
        finally
        {
            buffers.Restore();
        }
    }

    /// <summary>Validation InfoNCE (in batches of the training micro-batch size) and zero-shot F1/AUC with the run's prompts.</summary>
    private (double Loss, double F1, double Auc) Validate(IReadOnlyList<TrainingPair> validation, PromptSet prompts)
    {
        if (validation.Count == 0) return (double.NaN, double.NaN, double.NaN);
        model.eval();
        using var noGrad = no_grad();
        double lossSum = 0;
        var lossBatches = 0;
        var embeddings = new List<Tensor>();
        foreach (var chunk in validation.Chunk(Math.Max(2, Math.Min(_options.BatchSize, validation.Count))))
        {
            using var scope = NewDisposeScope();
            using var batch = Batch(chunk, anatomyView: false);
            using var image = model.EncodeImage(batch.Volumes);
            embeddings.Add(image.Contrastive.clone().DetachFromDisposeScope());
            if (chunk.Length < 2) continue;
            using var text = model.EncodeText(batch.Ids, batch.Mask);
            lossSum += ContrastiveLoss.SymmetricInfoNce(model, image.Contrastive, text.Projection).ToDouble();
            lossBatches++;
        }
        var labelled = validation.Select((p, i) => (p, i)).Where(x => prompts.Classes.ContainsKey(x.p.Label)).ToList();
        double f1 = double.NaN, auc = double.NaN;
        if (labelled.Count > 0)
        {
            var encoder = new PromptEncoder(model, tokenizer, modelKey: Guid.NewGuid().ToString());
            var classifier = new ZeroShotClassifier(prompts, encoder.Encode(prompts));
            using var all = cat(embeddings, 0);
            var results = classifier.Classify(all);
            var truth = labelled.Select(x => x.p.Label == prompts.Positive ? 1 : 0).ToList();
            var predicted = labelled.Select(x => results[x.i].Predicted == prompts.Positive ? 1 : 0).ToList();
            var score = labelled.Select(x => results[x.i].Score).ToList();
            f1 = ConfusionCounts.Of(truth, predicted).F1;
            auc = RocCurve.Auc(truth, score);
        }
        foreach (var e in embeddings) e.Dispose();
        return (lossBatches > 0 ? lossSum / lossBatches : double.NaN, f1, auc);
    }
}
