using System.Diagnostics;
using MerlinAdapt.Cohorts;
using MerlinAdapt.Reports.Llm;
using Microsoft.Extensions.Logging;

namespace MerlinAdapt.Reports;

/// <summary>
/// `structure-reports`: every report of a manifest into reports.jsonl. The rules structure every report; with an LLM
/// endpoint, the model's structuring replaces theirs wherever it gives a valid answer, and a report it fails on
/// keeps the rules' structure with the reason recorded. Where both exist, the summary gives their agreement.
/// </summary>
/// <remarks>
/// reports.jsonl is written once, atomically, at the end. An interrupted run writes nothing, but the LLM cache keeps
/// every answer already given, so the same command continues where it stopped at no cost.
/// </remarks>
public sealed class ReportStructuring(LlmOptions? llm = null, ILogger? logger = null)
{
    public async Task<StructuringSummary> RunAsync(Manifest manifest, string outputPath, IProgress<StructuringProgress>? progress = null, CancellationToken cancel = default)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        var stopwatch = Stopwatch.StartNew();
        // Every report is read first, so a missing .txt stops the run before any request is sent.
        var texts = manifest.Entries.Select(e => (e.StudyId, Text: ReportText.Of(manifest, e))).ToList();
        var structurer = llm is null ? null : new LlmReportStructurer(llm, logger);
        var rules = texts.Select(t => RuleReportStructurer.Structure(t.StudyId, t.Text)).ToArray();
        var reports = new StructuredReport[texts.Count];
        var gate = new object();
        int done = 0, byLlm = 0, cached = 0, fallbacks = 0;

        void Finish(int index, StructuredReport report, bool fromCache)
        {
            reports[index] = report;
            lock (gate)
            {
                done++;
                if (report.Source == ReportSource.Llm) byLlm++;
                if (fromCache) cached++;
                if (report.Fallback is not null) fallbacks++;
                progress?.Report(new StructuringProgress(done, texts.Count, byLlm, cached, fallbacks));
            }
        }

        if (structurer is null)
        {
            for (var i = 0; i < texts.Count; i++)
            {
                cancel.ThrowIfCancellationRequested();
                Finish(i, rules[i], false);
            }
        }
        else
        {
            var parallel = new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, llm!.Jobs), CancellationToken = cancel };
            await Parallel.ForEachAsync(Enumerable.Range(0, texts.Count), parallel, async (i, token) =>
            {
                if (texts[i].Text.Trim().Length == 0)
                {
                    Finish(i, rules[i], false); // nothing to ask about
                    return;
                }
                var outcome = await structurer.StructureAsync(texts[i].StudyId, texts[i].Text, token).ConfigureAwait(false);
                Finish(i, outcome.Answer?.ToReport(texts[i].StudyId) ?? rules[i] with { Fallback = outcome.Failure }, outcome.FromCache);
            }).ConfigureAwait(false);
        }

        StructuredReportsFile.Write(outputPath, reports);
        var emptyReports = texts.Count(t => t.Text.Trim().Length == 0);
        return Summarize(reports, rules, emptyReports, cached, stopwatch.Elapsed);
    }

    private static StructuringSummary Summarize(StructuredReport[] reports, StructuredReport[] rules, int emptyReports, int cached, TimeSpan elapsed)
    {
        var agreement = new Dictionary<string, double>();
        var compared = Enumerable.Range(0, reports.Length).Where(i => reports[i].Source == ReportSource.Llm).ToList();
        if (compared.Count > 0)
        {
            var fields = new (string Name, Func<StructuredReport, string> Text)[]
            {
                ("clinical_information", r => r.ClinicalInformation), ("findings", r => r.Findings),
                ("impression", r => r.Impression), ("anatomy_text", r => r.AnatomyText),
            };
            foreach (var (name, text) in fields)
                agreement[name] = compared.Average(i => TokenF1.Score(text(rules[i]), text(reports[i])));
        }
        return new StructuringSummary
        {
            Total = reports.Length,
            EmptyReports = emptyReports,
            SectionsFound = new Dictionary<string, int>
            {
                ["clinical_information"] = reports.Count(r => r.ClinicalInformation.Length > 0),
                ["findings"] = reports.Count(r => r.Findings.Length > 0),
                ["impression"] = reports.Count(r => r.Impression.Length > 0),
            },
            ReportsPerOrgan = OrganSystems.Keys.ToDictionary(k => k, k => reports.Count(r => r.Organs.ContainsKey(k))),
            ReportsWithUnplacedText = reports.Count(r => r.Unplaced.Count > 0),
            ByRules = reports.Count(r => r.Source == ReportSource.Rules),
            ByLlm = compared.Count,
            FromCache = cached,
            Fallbacks = reports.Where(r => r.Fallback is not null).GroupBy(r => r.Fallback!)
                .OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.Count()),
            Agreement = agreement,
            AgreementReports = compared.Count,
            Elapsed = elapsed,
        };
    }
}
