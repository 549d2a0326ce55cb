using System.CommandLine;
using MerlinAdapt.Model.Tokenization;
using MerlinAdapt.Reports;

namespace MerlinAdapt.Cli.Commands;

/// <summary>`tokenize`: the token ids of a text as the model sees them, one line on stdout and nothing else.</summary>
internal static class TokenizeCommand
{
    public static Command Create(CliContext context)
    {
        var tokenizer = new Option<string>("--tokenizer") { Description = "a Hugging Face tokenizer.json", Required = true, HelpName = "tokenizer.json" };
        var text = new Option<string>("--text") { Description = "the text", Required = true };
        var sanitize = new Option<bool>("--sanitize") { Description = "apply Merlin's report sanitiser first (lower case, words and punctuation split by spaces), as training and prompts do" };
        var maxLength = new Option<int?>("--max-length") { Description = "truncate to N ids, keeping the special tokens (Merlin: 1024); default: no truncation", HelpName = "N" };
        var command = new Command("tokenize", "Print the token ids of a text, separated by spaces, on one line.") { tokenizer, text, sanitize, maxLength };
        command.SetAction(parse => CliApp.Guard(context, () =>
        {
            var max = parse.GetValue(maxLength);
            if (max is < 2) throw new InputException("--max-length", $"must be at least 2 (room for the special tokens), got {max}");
            using var model = TextTokenizer.Load(parse.GetValue(tokenizer)!);
            var input = parse.GetValue(text)!;
            if (parse.GetValue(sanitize)) input = ReportSanitizer.Sanitize(input);
            context.Output.WriteLine(string.Join(' ', model.Encode(input, max)));
            return 0;
        }));
        return command;
    }
}
