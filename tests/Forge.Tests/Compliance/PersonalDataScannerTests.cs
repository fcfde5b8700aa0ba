using System.Text;
using Forge.Core.Privacy;
using Xunit;
using static Forge.Tests.Compliance.PersonalDataSamples;

namespace Forge.Tests.Compliance;

/// <summary>Synthetic French class lists are found in every format; ordinary course material is left alone.</summary>
public sealed class PersonalDataScannerTests
{
    private static readonly DateOnly Today = new(2026, 12, 1);

    private static IReadOnlyList<PrivacyFinding> Scan(string path, string content) => PrivacyScanner.Scan(path, Encoding.UTF8.GetBytes(content), Today);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void A_csv_of_marks_is_a_class_list(int seed)
    {
        var pupils = Class(seed);
        var f = Assert.Single(Scan("evaluations/notes-t1.csv", MarksCsv(pupils)));
        Assert.Equal((PrivacyFinding.ClassList, PrivacyConfidence.High, 24, 2), (f.Kind, f.Confidence, f.Count, f.Line));
        Assert.Contains("des notes", f.Message);
        Assert.Contains("des classes", f.Message);
        // The excerpt never repeats the data: only initials.
        Assert.DoesNotContain(pupils[0].FirstName, f.Excerpt);
        Assert.DoesNotContain(pupils[0].LastName.ToUpperInvariant(), f.Excerpt);
        Assert.Contains(pupils[0].FirstName[..1], f.Excerpt);
    }

    [Fact]
    public void Spreadsheets_and_notebook_outputs_are_read()
    {
        var pupils = Class(7);
        Assert.Contains(PrivacyScanner.Scan("notes.xlsx", MarksXlsx(pupils), Today), f => f is { Kind: PrivacyFinding.ClassList, Confidence: PrivacyConfidence.High, Count: 24 });
        // LibreOffice's « repeated » cells (a million empty rows) are not expanded.
        var ods = PrivacyScanner.Scan("notes.ods", MarksOds(pupils), Today);
        Assert.Contains(ods, f => f is { Kind: PrivacyFinding.ClassList, Confidence: PrivacyConfidence.High, Count: 24 });
        var notebook = Scan("analyse.ipynb", MarksNotebook(pupils));
        Assert.Contains(notebook, f => f is { Kind: PrivacyFinding.ClassList, Count: 24 } && f.Excerpt.StartsWith("cellule 2", StringComparison.Ordinal));
    }

    [Fact]
    public void Emails_phones_ine_and_birth_dates()
    {
        var pupils = Class(11);
        var contacts = Scan("contacts.txt", ContactsTxt(pupils));
        Assert.Contains(contacts, f => f is { Kind: PrivacyFinding.Email, Confidence: PrivacyConfidence.High, Count: 8 });
        Assert.Contains(contacts, f => f is { Kind: PrivacyFinding.Phone, Confidence: PrivacyConfidence.High, Count: 8 });
        Assert.DoesNotContain(contacts.Single(f => f.Kind == PrivacyFinding.Email).Excerpt, pupils.Select(p => p.Email));

        var ine = Scan("ine.csv", InesCsv(pupils));
        Assert.Contains(ine, f => f is { Kind: PrivacyFinding.Ine, Confidence: PrivacyConfidence.High, Count: 24 });
        Assert.Contains("toute sa scolarité", ine.Single(f => f.Kind == PrivacyFinding.Ine).Message);

        var births = Scan("sortie.md", BirthDatesMarkdown(pupils));
        Assert.Contains(births, f => f is { Kind: PrivacyFinding.BirthDate, Confidence: PrivacyConfidence.High, Count: 6 });
        Assert.Contains(births, f => f.Kind == PrivacyFinding.ClassList && f.Message.Contains("dates de naissance"));
    }

    [Fact]
    public void Ordinary_course_material_is_not_flagged()
    {
        Assert.Empty(Scan("bibliographie.md", Bibliography));
        Assert.Empty(Scan("histoire/informatique.md", HistoryLesson));
        Assert.Empty(Scan("donnees/villes.csv", CitiesCsv));
        Assert.Empty(Scan("donnees/scientifiques.csv", ScientistsCsv));
        Assert.Empty(Scan("README.md", "# Cours de NSI\n\nAuteur : Alice Martin (alice.martin@ac-lyon.fr).\n"));
        Assert.Empty(Scan("image.png", "not scanned"));
    }

    [Fact]
    public void Damaged_and_hostile_files_give_nothing_and_never_throw()
    {
        Assert.Empty(PrivacyScanner.Scan("notes.xlsx", Encoding.UTF8.GetBytes("PK\u0003\u0004 pas vraiment un zip"), Today));
        Assert.Empty(PrivacyScanner.Scan("notes.ods", [0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0], Today));
        Assert.Empty(Scan("tp.ipynb", "{\"cells\": [ {\"outputs\": [ {\"data\": 3} ] }"));
        Assert.Empty(Scan("notes.csv", new string('"', 100_000)));
        Assert.Empty(Scan("deep.ipynb", new string('[', 10_000)));
    }
}
