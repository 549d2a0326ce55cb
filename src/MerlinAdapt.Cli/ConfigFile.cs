using System.Globalization;
using System.Text.Json;

namespace MerlinAdapt.Cli;

/// <summary>
/// `--config run.json`: a JSON object whose keys are option names (snake_case or kebab-case, without dashes).
/// Its values become options; flags given on the command line win. Arrays become comma lists; true becomes a flag.
/// </summary>
internal static class ConfigFile
{
    public static string[] Merge(string[] args)
    {
        var at = Array.IndexOf(args, "--config");
        if (at < 0) return args;
        if (at + 1 >= args.Length) throw new InputException("--config", "needs a JSON file");
        var path = args[at + 1];
        if (!File.Exists(path)) throw new InputException(path, "config file not found");
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(path));
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new InputException(path, $"not valid JSON ({e.Message.Split('\n')[0]})");
        }
        if (root.ValueKind != JsonValueKind.Object) throw new InputException(path, "a config file holds one JSON object of option names and values");

        var merged = args.Where((_, i) => i != at && i != at + 1).ToList();
        foreach (var property in root.EnumerateObject())
        {
            var option = "--" + property.Name.Replace('_', '-');
            if (merged.Contains(option)) continue;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.True: merged.Add(option); break;
                case JsonValueKind.False or JsonValueKind.Null: break;
                case JsonValueKind.Array:
                    merged.Add(option);
                    merged.Add(string.Join(",", property.Value.EnumerateArray().Select(Text)));
                    break;
                case JsonValueKind.Object: throw new InputException(path, $"\"{property.Name}\": nested objects are not options");
                default:
                    merged.Add(option);
                    merged.Add(Text(property.Value));
                    break;
            }
        }
        return merged.ToArray();
    }

    private static string Text(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString()!,
        JsonValueKind.Number => value.GetDouble().ToString(CultureInfo.InvariantCulture),
        _ => value.GetRawText(),
    };
}
