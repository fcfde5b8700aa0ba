using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Core.Modules;

/// <summary>
/// Reads a quiz written in Markdown:
/// <code>
/// # Titre du quiz
///
/// ## Quelle est la sortie de print(2 + 3) ?
/// - [ ] 23
///   > Les nombres sont additionnés, pas collés.
/// - [x] 5
/// > print affiche la valeur de l’expression.
///
/// ## Quel mot-clé définit une fonction ?
/// = def
/// </code>
/// Each <c>## …</c> starts a question (its prompt: the heading and the text below it). <c>- [x]</c> / <c>- [ ]</c> are
/// choices — one ticked: single choice, several: multiple choice; an indented <c>&gt; …</c> under a choice is that choice's
/// feedback. <c>= réponse</c> lines make a short-answer question (several lines: several accepted answers, compared
/// without case, accents or extra spaces). A <c>&gt; …</c> paragraph after the choices or answers is the question's feedback.
/// Never throws: invalid questions are left out and reported in French with their line.
/// </summary>
public static partial class QuizParser
{
    public const int MaxBytes = 256 * 1024;
    public const int MaxQuestions = 200;
    public const int MaxChoices = 26;

    [GeneratedRegex(@"^ {0,3}[-*+][ \t]+\[([ xX])\][ \t]?(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex ChoiceLine();

    [GeneratedRegex(@"^[ \t]+>[ \t]?(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex IndentedQuote();

    [GeneratedRegex(@"^>[ \t]?(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex Quote();

    [GeneratedRegex(@"^ {0,3}=[ \t]*(.*)$", RegexOptions.CultureInvariant)]
    private static partial Regex AnswerLine();

    [GeneratedRegex(@"^ {0,3}(`{3,}|~{3,})", RegexOptions.CultureInvariant)]
    private static partial Regex Fence();

    private enum Phase { Prompt, Choices, Answers, Feedback }

    private sealed class Draft(int line, string firstLine)
    {
        public readonly int Line = line;
        public readonly StringBuilder Prompt = new(firstLine);
        public readonly List<(StringBuilder Text, bool Correct, StringBuilder? Feedback, int Line)> Choices = [];
        public readonly List<(string Answer, int Line)> Answers = [];
        public StringBuilder? Feedback;
        public Phase Phase = Phase.Prompt;
        public bool LastWasFeedback;
        public string? Problem;
        public int ProblemLine;
    }

    public static (Quiz? Quiz, IReadOnlyList<ModuleError> Errors) Parse(string path, string markdown)
    {
        var errors = new List<ModuleError>();
        if (Encoding.UTF8.GetByteCount(markdown) > MaxBytes)
        {
            errors.Add(new(path, null, $"le quiz dépasse {MaxBytes / 1024} Kio."));
            return (null, errors);
        }
        string? title = null;
        var drafts = new List<Draft>();
        Draft? current = null;
        string? fence = null;
        var lines = markdown.Replace("\r\n", "\n").Replace('\r', '\n').Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            var number = i + 1;
            if (fence is not null)
            {
                current?.Prompt.Append('\n').Append(line);
                if (line.TrimStart().StartsWith(fence, StringComparison.Ordinal) && line.Trim().Trim(fence[0]).Length == 0) fence = null;
                continue;
            }
            if (line.StartsWith("## ", StringComparison.Ordinal) || line.TrimEnd() == "##")
            {
                if (drafts.Count >= MaxQuestions)
                {
                    errors.Add(new(path, number, $"plus de {MaxQuestions} questions : les suivantes sont ignorées."));
                    break;
                }
                current = new Draft(number, line.Length > 3 ? line[3..].Trim().TrimEnd('#').Trim() : "");
                drafts.Add(current);
                continue;
            }
            if (current is null)
            {
                if (title is null && line.StartsWith("# ", StringComparison.Ordinal)) title = line[2..].Trim().TrimEnd('#').Trim();
                continue; // an introduction before the first question is allowed and not shown
            }
            Read(current, line, number, ref fence);
        }

        var questions = new List<QuizQuestion>();
        foreach (var draft in drafts)
        {
            if (Build(draft, questions.Count + 1, path, errors) is { } q) questions.Add(q);
        }
        if (drafts.Count == 0)
            errors.Add(new(path, null, "aucune question : chaque question commence par une ligne « ## » suivie de l’énoncé."));
        if (questions.Count == 0) return (null, errors);
        return (new Quiz(path, string.IsNullOrWhiteSpace(title) ? "Quiz" : title!, questions), errors);
    }

    private static void Read(Draft q, string line, int number, ref string? fence)
    {
        if (q.Problem is not null) return;
        Match m;
        if (q.Phase == Phase.Prompt && Fence().Match(line) is { Success: true } f)
        {
            fence = f.Groups[1].Value;
            q.Prompt.Append('\n').Append(line);
            return;
        }
        if ((m = ChoiceLine().Match(line)).Success)
        {
            if (q.Answers.Count > 0 || q.Phase == Phase.Feedback)
            {
                Fail(q, number, q.Answers.Count > 0
                    ? "une question ne peut pas mélanger des choix (« - [x] ») et des réponses à écrire (« = »)."
                    : "choix après le retour de la question : mettez les choix avant la ligne « > ».");
                return;
            }
            if (q.Choices.Count >= MaxChoices) { Fail(q, number, $"plus de {MaxChoices} choix."); return; }
            q.Choices.Add((new StringBuilder(m.Groups[2].Value.Trim()), m.Groups[1].Value != " ", null, number));
            q.Phase = Phase.Choices;
            q.LastWasFeedback = false;
            return;
        }
        if (q.Phase == Phase.Choices && (m = IndentedQuote().Match(line)).Success && q.Choices.Count > 0)
        {
            var c = q.Choices[^1];
            if (c.Feedback is null) q.Choices[^1] = c with { Feedback = new StringBuilder(m.Groups[1].Value) };
            else c.Feedback.Append('\n').Append(m.Groups[1].Value);
            return;
        }
        if ((m = AnswerLine().Match(line)).Success)
        {
            if (q.Choices.Count > 0)
            {
                Fail(q, number, "une question ne peut pas mélanger des choix (« - [x] ») et des réponses à écrire (« = »).");
                return;
            }
            if (q.Phase == Phase.Feedback) { Fail(q, number, "réponse « = » après le retour de la question : mettez-la avant la ligne « > »."); return; }
            var answer = m.Groups[1].Value.Trim();
            if (answer.Length == 0) { Fail(q, number, "réponse vide après « = »."); return; }
            q.Answers.Add((answer, number));
            q.Phase = Phase.Answers;
            return;
        }
        if ((m = Quote().Match(line)).Success && q.Phase != Phase.Prompt)
        {
            if (q.Feedback is null) q.Feedback = new StringBuilder(m.Groups[1].Value);
            else q.Feedback.Append('\n').Append(m.Groups[1].Value);
            q.Phase = Phase.Feedback;
            q.LastWasFeedback = true;
            return;
        }
        if (string.IsNullOrWhiteSpace(line))
        {
            if (q.Phase == Phase.Prompt) q.Prompt.Append('\n');
            if (q.Phase == Phase.Feedback && q.LastWasFeedback) { q.Feedback!.Append('\n'); q.LastWasFeedback = false; }
            return;
        }
        switch (q.Phase)
        {
            case Phase.Prompt:
                q.Prompt.Append('\n').Append(line);
                return;
            case Phase.Choices when line.StartsWith(' ') || line.StartsWith('\t'):
                var c = q.Choices[^1];
                (c.Feedback ?? c.Text).Append(c.Feedback is null ? " " : "\n").Append(line.Trim());
                return;
            case Phase.Feedback when q.LastWasFeedback:
                q.Feedback!.Append('\n').Append(line.Trim()); // lazy continuation, as in Markdown
                return;
            default:
                Fail(q, number, "texte inattendu après les choix ou les réponses : l’énoncé va sous la ligne « ## », le retour dans une ligne « > », et une nouvelle question commence par « ## ».");
                return;
        }
    }

    private static void Fail(Draft q, int line, string message)
    {
        q.Problem = message;
        q.ProblemLine = line;
    }

    private static QuizQuestion? Build(Draft q, int index, string path, List<ModuleError> errors)
    {
        var prompt = q.Prompt.ToString().Trim();
        var shortPrompt = prompt.Split('\n')[0];
        if (shortPrompt.Length > 60) shortPrompt = shortPrompt[..60] + "…";
        string Named(string message) => prompt.Length == 0 ? message : $"question « {shortPrompt} » : {message}";

        if (q.Problem is not null) { errors.Add(new(path, q.ProblemLine, Named(q.Problem))); return null; }
        if (prompt.Length == 0) { errors.Add(new(path, q.Line, "question sans énoncé : écrivez-le après « ## »." )); return null; }
        var id = "q" + index;
        var feedback = Clean(q.Feedback);
        if (q.Answers.Count > 0)
            return new QuizQuestion(id, QuestionKind.ShortAnswer, prompt, [], q.Answers.Select(a => a.Answer).ToList(), feedback);
        if (q.Choices.Count == 0)
        {
            errors.Add(new(path, q.Line, Named("ni choix (« - [x] » / « - [ ] ») ni réponse attendue (« = réponse »).")));
            return null;
        }
        if (q.Choices.FirstOrDefault(c => c.Text.ToString().Trim().Length == 0) is { Line: > 0 } empty)
        {
            errors.Add(new(path, empty.Line, Named("choix vide.")));
            return null;
        }
        if (q.Choices.Count < 2)
        {
            errors.Add(new(path, q.Line, Named("un seul choix : proposez au moins deux choix.")));
            return null;
        }
        var correct = q.Choices.Count(c => c.Correct);
        if (correct == 0)
        {
            errors.Add(new(path, q.Line, Named("aucune bonne réponse : cochez au moins un choix avec « - [x] ».")));
            return null;
        }
        var choices = q.Choices.Select(c => new QuizChoice(c.Text.ToString().Trim(), c.Correct, Clean(c.Feedback))).ToList();
        return new QuizQuestion(id, correct == 1 ? QuestionKind.SingleChoice : QuestionKind.MultipleChoice, prompt, choices, [], feedback);
    }

    private static string? Clean(StringBuilder? text) => text?.ToString().Trim() is { Length: > 0 } t ? t : null;
}
