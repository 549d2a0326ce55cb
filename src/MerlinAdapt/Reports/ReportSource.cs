using System.Text.Json.Serialization;

namespace MerlinAdapt.Reports;

/// <summary>Which structurer produced a structured report ("rules" or "llm" in reports.jsonl).</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ReportSource>))]
public enum ReportSource
{
    [JsonStringEnumMemberName("rules")] Rules,
    [JsonStringEnumMemberName("llm")] Llm,
}
