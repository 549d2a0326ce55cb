namespace MerlinAdapt.Evaluation;

/// <summary>One line of predictions.csv: the study, its patient, truth and prediction (1 = positive class), score and per-class similarities.</summary>
public sealed record PredictionRow(string StudyId, string PatientId, int Label, int Prediction, double Score, IReadOnlyDictionary<string, double> Similarities);
