using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Forge.Core.Resources;

/// <summary>
/// Writes a <c>resource.yml</c>: only the fields that are set, always in the order of
/// <see cref="ResourceMetadataParser.Fields"/>, without comments, through YamlDotNet's emitter (so any text is quoted
/// or escaped as YAML needs). <c>Parse(Write(m))</c> gives back <c>m</c>.
/// </summary>
public static partial class ResourceMetadataWriter
{
    /// <summary>List fields written inline (<c>[a, b]</c>): short vocabulary codes and keywords; the others one per line.</summary>
    private static readonly HashSet<string> InlineLists =
        ["disciplines", "grades", "cycles", "usage", "autonomy", "audience", "type", "accessibility", "language", "keywords"];

    // Plain scalars that YAML 1.1 or 1.2 tools would read as something else than text: quoted so every tool reads text.
    [GeneratedRegex(@"^(?:~|null|Null|NULL|true|True|TRUE|false|False|FALSE|yes|Yes|YES|no|No|NO|on|On|ON|off|Off|OFF|y|Y|n|N|[-+]?(?:\.[0-9]+|[0-9][0-9_:.,]*)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|0[xob][0-9a-fA-F_]+|\d{4}-\d\d?-\d\d?(?:[Tt ].*)?)$", RegexOptions.CultureInvariant)]
    private static partial Regex AmbiguousPlain();

    /// <summary>
    /// The YAML text of <paramref name="metadata"/>, then the <paramref name="preserved"/> fields (unknown to Forge, copied
    /// verbatim from the previous file) so that rewriting a hand-written file loses nothing.
    /// </summary>
    public static string Write(ResourceMetadata metadata, IEnumerable<UnknownField>? preserved = null)
    {
        var text = WriteFields(Fields(metadata));
        foreach (var field in preserved ?? [])
            if (field.Source is { Length: > 0 } source && !ResourceMetadataParser.Fields.Contains(field.Key))
                text += source.Replace("\r\n", "\n") + "\n";
        return text;
    }

    /// <summary>The fields of a description that are set, in writing order: text, or a list of texts.</summary>
    public static IEnumerable<(string Field, object Value)> Fields(ResourceMetadata m)
    {
        if (m.Title is not null) yield return ("title", m.Title);
        if (m.Description is not null) yield return ("description", m.Description);
        if (m.Disciplines.Count > 0) yield return ("disciplines", m.Disciplines);
        if (m.Grades.Count > 0) yield return ("grades", m.Grades);
        // Derived cycles are not written: they are derived again on reading. Explicit cycles are, even an explicit
        // empty list when there are grades (else reading would derive cycles the description did not have).
        if (!m.CyclesDerived && (m.Cycles.Count > 0 || m.Grades.Count > 0)) yield return ("cycles", m.Cycles);
        if (m.Usage.Count > 0) yield return ("usage", m.Usage);
        if (m.Autonomy.Count > 0) yield return ("autonomy", m.Autonomy);
        if (m.Audience.Count > 0) yield return ("audience", m.Audience);
        if (m.Types.Count > 0) yield return ("type", m.Types);
        if (m.Personalisation is not null) yield return ("personalisation", m.Personalisation);
        if (m.HasExercises is { } exercises) yield return ("has_exercises", exercises ? "true" : "false");
        if (m.TeacherSeesResults is { } results) yield return ("teacher_sees_results", results ? "true" : "false");
        if (m.DurationMinutes is { } duration) yield return ("duration_minutes", duration.ToString(CultureInfo.InvariantCulture));
        if (m.FocusMinutes is { } focus) yield return ("focus_minutes", focus.ToString(CultureInfo.InvariantCulture));
        if (m.Accessibility.Count > 0) yield return ("accessibility", m.Accessibility);
        if (m.Languages.Count > 0) yield return ("language", m.Languages);
        if (m.Programme.Count > 0) yield return ("programme", m.Programme);
        if (m.Authors.Count > 0) yield return ("authors", m.Authors);
        if (m.BasedOn is not null) yield return ("based_on", m.BasedOn);
        if (m.Licence is not null) yield return ("licence", m.Licence);
        if (m.Keywords.Count > 0) yield return ("keywords", m.Keywords);
    }

    /// <summary>
    /// Writes fields as given (a text or a list of texts each), unvalidated: the form uses it to turn what was typed into a
    /// file the parser then judges. Booleans and numbers given as their text (<c>true</c>, <c>55</c>) are written plain.
    /// </summary>
    public static string WriteFields(IEnumerable<(string Field, object Value)> fields)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        var emitter = new Emitter(output, new EmitterSettings(bestIndent: 2, bestWidth: int.MaxValue, isCanonical: false,
            maxSimpleKeyLength: 1024, indentSequences: true, newLine: "\n"));
        emitter.Emit(new StreamStart());
        emitter.Emit(new DocumentStart(null, null, isImplicit: true));
        emitter.Emit(new MappingStart(null, null, isImplicit: true, MappingStyle.Block));
        var any = false;
        foreach (var (field, value) in fields)
        {
            any = true;
            emitter.Emit(new Scalar(field));
            switch (value)
            {
                case string text:
                    emitter.Emit(ScalarFor(field, text));
                    break;
                case IEnumerable<string> list:
                    emitter.Emit(new SequenceStart(null, null, isImplicit: true, InlineLists.Contains(field) ? SequenceStyle.Flow : SequenceStyle.Block));
                    foreach (var item in list) emitter.Emit(ScalarFor(field, item));
                    emitter.Emit(new SequenceEnd());
                    break;
                default:
                    throw new ArgumentException($"Field {field}: a text or a list of texts is expected.", nameof(fields));
            }
        }
        emitter.Emit(new MappingEnd());
        emitter.Emit(new DocumentEnd(isImplicit: true));
        emitter.Emit(new StreamEnd());
        return any ? output.ToString() : "";
    }

    private static readonly HashSet<string> PlainValueFields = ["has_exercises", "teacher_sees_results", "duration_minutes", "focus_minutes"];

    private static Scalar ScalarFor(string field, string text)
    {
        if (PlainValueFields.Contains(field) && (text is "true" or "false" || (text.Length is > 0 and < 10 && text.All(char.IsAsciiDigit))))
            return new Scalar(null, null, text, ScalarStyle.Plain, isPlainImplicit: true, isQuotedImplicit: false);
        if (text.Contains('\n'))
            return new Scalar(null, null, text, ScalarStyle.Literal, isPlainImplicit: false, isQuotedImplicit: true);
        var style = text.Length == 0 || AmbiguousPlain().IsMatch(text) ? ScalarStyle.DoubleQuoted : ScalarStyle.Any;
        return new Scalar(null, null, text, style, isPlainImplicit: true, isQuotedImplicit: true);
    }
}
