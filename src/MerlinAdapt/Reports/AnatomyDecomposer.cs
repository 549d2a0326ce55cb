using System.Text.RegularExpressions;

namespace MerlinAdapt.Reports;

/// <summary>
/// Sorts a section's sentences into Merlin's organ systems. Templated reports name the system in a label
/// ("LIVER: …", "Kidneys and ureters: …"): the sentence that carries the label goes to its system, and so do the
/// sentences after it that name no other system; elsewhere the <see cref="OrganLexicon"/> decides. A sentence about
/// several systems goes to each; one about none stays in <see cref="SectionAnatomy.Other"/>. Sentences are never cut, so a negation ("No hydronephrosis.") stays with what it negates.
/// </summary>
/// <remarks>
/// A label reaches the sentences after it until the next label, except those the lexicon ties to other systems
/// only ("Spleen: 14 cm. No ascites." puts the ascites under the peritoneum). A label with text on its own line
/// ("LIVER: Cirrhotic. No lesion.") reaches to the end of that line; a label alone on its line ("LIVER:") reaches
/// until the next label, as in templates that put each system's sentences under its header.
/// </remarks>
public static class AnatomyDecomposer
{
    private static readonly Regex Label = new(@"^(?<label>[A-Za-z][A-Za-z ,/&()-]{0,40}?)\s*:\s*(?<rest>.*)$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    public static SectionAnatomy Decompose(IReadOnlyList<Sentence> sentences)
    {
        ArgumentNullException.ThrowIfNull(sentences);
        var organs = OrganSystems.Keys.ToDictionary(k => k, _ => new List<string>());
        var other = new List<string>();
        string? context = null;
        var contextEndsWithLine = false;
        foreach (var sentence in sentences)
        {
            if (sentence.StartsLine && contextEndsWithLine) context = null;
            var text = sentence.Text;
            var label = Label.Match(text);
            var labelled = false;
            if (label.Success && Classify(label.Groups["label"].Value) is var (kind, organ) && kind != LabelKind.NotALabel)
            {
                context = organ;
                var rest = label.Groups["rest"].Value.Trim();
                contextEndsWithLine = rest.Length > 0;
                if (rest.Length == 0) continue; // a header alone: its sentences follow
                if (kind != LabelKind.SeveralSystems) text = rest;
                labelled = true;
            }
            IReadOnlyList<string> targets = OrganLexicon.Organs(text);
            if (context is not null && (labelled || targets.Count == 0 || targets.Contains(context))) targets = [context];
            if (targets.Count == 0) other.Add(text);
            foreach (var target in targets) organs[target].Add(text);
        }
        return new SectionAnatomy(
            organs.Where(o => o.Value.Count > 0).ToDictionary(o => o.Key, o => string.Join(' ', o.Value)),
            string.Join(' ', other));
    }

    private enum LabelKind { NotALabel, OneSystem, NoSystem, SeveralSystems }

    /// <summary>
    /// What a "Label:" prefix is. A known organ header ("Liver and biliary tree") or a short label that the lexicon
    /// ties to one system ("Right kidney") names that system; a short label of no system ("Other", "Lines and tubes")
    /// or of several ("Liver and spleen") names none, and then the lexicon decides; a long one is part of its sentence.
    /// </summary>
    private static (LabelKind Kind, string? Organ) Classify(string label)
    {
        if (OrganSystems.FromName(label) is { } named) return (LabelKind.OneSystem, named.Key);
        if (label.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length > 4) return (LabelKind.NotALabel, null);
        var organs = OrganLexicon.Organs(label);
        return organs.Count switch
        {
            0 => (LabelKind.NoSystem, null),
            1 => (LabelKind.OneSystem, organs[0]),
            _ => (LabelKind.SeveralSystems, null),
        };
    }
}
