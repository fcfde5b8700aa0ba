using System.Globalization;

namespace Forge.Core.Modules;

/// <summary>
/// Grades a quiz: one point per question answered exactly right (for a multiple choice: every right choice and no wrong one).
/// Answers are, per question id, the chosen choice indexes (0-based, as strings) or the typed answer, compared with
/// <see cref="ModuleText.Fold"/> (no case, accents or extra spaces). A missing answer is wrong.
/// </summary>
public static class QuizGrader
{
    public static QuizResult Grade(Quiz quiz, IReadOnlyDictionary<string, IReadOnlyList<string>> answers)
    {
        var results = new List<QuestionResult>(quiz.Questions.Count);
        foreach (var q in quiz.Questions)
        {
            var given = answers.TryGetValue(q.Id, out var a) ? a : [];
            results.Add(q.Kind == QuestionKind.ShortAnswer ? ShortAnswer(q, given) : Choices(q, given));
        }
        return new QuizResult(results.Count(r => r.Correct), quiz.Questions.Count, results);
    }

    private static QuestionResult ShortAnswer(QuizQuestion q, IReadOnlyList<string> given)
    {
        var typed = given.FirstOrDefault(g => !string.IsNullOrWhiteSpace(g));
        var correct = typed is not null && q.AcceptedAnswers.Any(answer => ModuleText.Fold(answer) == ModuleText.Fold(typed));
        return new QuestionResult(q.Id, correct, q.FeedbackMarkdown);
    }

    private static QuestionResult Choices(QuizQuestion q, IReadOnlyList<string> given)
    {
        var chosen = new SortedSet<int>();
        foreach (var g in given)
        {
            if (int.TryParse(g, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i >= 0 && i < q.Choices.Count) chosen.Add(i);
        }
        if (q.Kind == QuestionKind.SingleChoice && chosen.Count > 1) chosen.Clear(); // a forged form: two answers to a single choice is wrong
        var right = Enumerable.Range(0, q.Choices.Count).Where(i => q.Choices[i].Correct);
        var correct = chosen.Count > 0 && chosen.SetEquals(right);
        var feedback = chosen.Select(i => q.Choices[i].FeedbackMarkdown).Append(q.FeedbackMarkdown).Where(f => f is not null).ToList();
        return new QuestionResult(q.Id, correct, feedback.Count == 0 ? null : string.Join("\n\n", feedback));
    }
}
