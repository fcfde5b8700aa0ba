using System.Text;
using Forge.Core.Licences;
using Xunit;

namespace Forge.Tests.Compliance;

/// <summary>The report built from files' facts: which findings, on which paths, with which verdict.</summary>
public sealed class LicenceCheckerTests
{
    private static LicenceReport Check(IReadOnlyList<SourceCheck>? sources, params (string Path, string Content)[] files) =>
        LicenceChecker.Check(files.Select(f => f.Content == "\0"
                ? FileFactsReader.Read(f.Path, new string('b', 40), [0, 1, 2], binary: true)
                : FileFactsReader.Read(f.Path, new string('a', 40), Encoding.UTF8.GetBytes(f.Content), binary: false)).ToList(),
            sources ?? [], new string('c', 40), DateTimeOffset.UnixEpoch);

    private static string Text(string id) => LicenceCatalogue.TextOf(id)!;

    private static IEnumerable<(string Code, string? Path)> Codes(LicenceReport r) => r.Findings.Select(f => (f.Code, f.Path));

    [Fact]
    public void A_licence_file_and_a_matching_declaration_make_an_open_repository()
    {
        var r = Check(null, ("LICENSE", Text("CC-BY-SA-4.0")), ("resource.yml", "title: Tri\nlicence: CC-BY-SA-4.0\n"), ("cours.md", "# Tri\n"));
        Assert.Equal(LicenceStatus.Open, r.Status);
        Assert.Empty(r.Findings);
        Assert.Equal(["CC-BY-SA-4.0"], r.Licences);
        Assert.Equal(new FileCoverage(2, 2, 0, 0, false), r.Files);
    }

    [Fact]
    public void Nothing_at_all_is_not_reusable_and_offers_the_fix()
    {
        var r = Check(null, ("README.md", "# Mon cours\n"), ("cours.md", "# Tri\n"));
        Assert.Equal(LicenceStatus.NotReusable, r.Status);
        var f = Assert.Single(r.Findings);
        Assert.Equal("no-licence", f.Code);
        Assert.Equal(new LicenceFix("CC-BY-SA-4.0", "LICENSE"), f.Fix);
        Assert.Contains("droit d’auteur", f.Message);
    }

    [Fact]
    public void Declared_cc_by_sa_with_an_mit_licence_file_is_a_contradiction()
    {
        var r = Check(null, ("LICENSE", Text("MIT").Replace("<year> <copyright holders>", "2025 Alice")), ("resource.yml", "licence: CC-BY-SA-4.0\n"));
        Assert.Contains(("declared-detected-mismatch", "LICENSE"), Codes(r));
        Assert.Equal(LicenceStatus.ToCheck, r.Status);
        Assert.Contains(r.Detected, d => d is { Id: "MIT", Path: "LICENSE", Method: MatchMethod.Text, Confidence: 100 });
        Assert.Contains(r.Declared, d => d is { Id: "CC-BY-SA-4.0", Path: "resource.yml", Known: true });
    }

    [Fact]
    public void Nc_and_nd_licences_are_reusable_under_conditions_only()
    {
        var r = Check(null, ("LICENSE.md", Text("CC-BY-NC-ND-4.0")));
        var f = Assert.Single(r.Findings);
        Assert.Equal(("non-open", FindingSeverity.Warning), (f.Code, f.Severity));
        Assert.Contains("pas l’adapter", f.Message);
        Assert.Equal(LicenceStatus.ToCheck, r.Status);
    }

    [Fact]
    public void A_restrictive_folder_or_file_inside_an_open_repository_is_pointed_out()
    {
        var r = Check(null, ("LICENSE", Text("CC-BY-SA-4.0")), ("images/LICENSE", "Images : CC BY-NC 4.0, Musée de Lyon"), ("images/carte.png", "\0"),
            ("cours.md", "<!-- SPDX-License-Identifier: CC-BY-ND-4.0 -->\n# Cours\n"), ("exercices.md", "# Exercices\n"));
        Assert.Contains(("restricted-file", "images/carte.png"), Codes(r));
        Assert.Contains(("restricted-file", "cours.md"), Codes(r));
        Assert.DoesNotContain(("restricted-file", "exercices.md"), Codes(r));
    }

    [Fact]
    public void A_reuse_compliant_repository_has_nothing_to_report()
    {
        var r = Check(null,
            ("LICENSES/CC-BY-SA-4.0.txt", Text("CC-BY-SA-4.0")), ("LICENSES/MIT.txt", Text("MIT")),
            ("cours.md", "<!--\nSPDX-FileCopyrightText: 2025 Alice Martin\nSPDX-License-Identifier: CC-BY-SA-4.0\n-->\n# Cours\n"),
            ("tri.py", "# SPDX-FileCopyrightText: 2025 Alice Martin\n# SPDX-License-Identifier: MIT\n"),
            ("images/carte.png", "\0"), ("images/carte.png.license", "SPDX-FileCopyrightText: 2025 Alice Martin\nSPDX-License-Identifier: CC-BY-SA-4.0\n"),
            ("REUSE.toml", "version = 1\n[[annotations]]\npath = \"data/**\"\nSPDX-FileCopyrightText = \"2025 Alice\"\nSPDX-License-Identifier = \"CC-BY-SA-4.0\"\n"),
            ("data/villes.csv", "ville;population\n"));
        Assert.Empty(r.Findings);
        Assert.Equal(LicenceStatus.Open, r.Status);
        Assert.True(r.Files.Reuse);
        Assert.Equal(["CC-BY-SA-4.0", "MIT"], r.Licences.Order());
    }

    [Fact]
    public void A_reuse_repository_with_gaps_lists_each_gap()
    {
        var r = Check(null,
            ("LICENSES/CC-BY-SA-4.0.txt", Text("CC-BY-SA-4.0")), ("LICENSES/GPL-3.0-or-later.txt", Text("GPL-3.0-or-later")),
            ("cours.md", "<!-- SPDX-License-Identifier: CC-BY-SA-4.0 -->\n# Cours\n"),
            ("tri.py", "# SPDX-FileCopyrightText: 2025 Alice\n# SPDX-License-Identifier: MIT\n"),
            ("images/carte.png", "\0"), ("notes.md", "# Notes\n"));
        var codes = Codes(r).ToList();
        Assert.Contains(("file-without-licence", "images/carte.png"), codes);
        Assert.Contains(("file-without-licence", "notes.md"), codes);
        Assert.Contains(("file-without-copyright", "cours.md"), codes);
        Assert.Contains(("missing-licence-text", "LICENSES/MIT.txt"), codes);
        Assert.Contains(("unused-licence-text", "LICENSES/GPL-3.0-or-later.txt"), codes);
        Assert.Equal(LicenceStatus.ToCheck, r.Status);
    }

    [Fact]
    public void A_modified_or_unknown_licence_text_and_an_unknown_id()
    {
        var r = Check(null, ("LICENSE", Text("MIT").Replace("without restriction", "for non-commercial teaching only, never for profit, with written permission")),
            ("COPYING", "Tous droits réservés. Reproduction interdite.\n"), ("resource.yml", "licence: CC-BY-SA\n"));
        var codes = Codes(r).ToList();
        Assert.Contains(("modified-licence-text", "LICENSE"), codes);
        Assert.Contains(("unknown-licence-text", "COPYING"), codes);
        Assert.Contains(("unknown-licence-id", "resource.yml"), codes);
    }

    [Theory]
    [InlineData("CC-BY-ND-4.0", "CC-BY-4.0", "nd-adaptation")]
    [InlineData("CC-BY-NC-ND-4.0", "CC-BY-NC-SA-4.0", "nd-adaptation")]
    [InlineData("CC-BY-SA-4.0", "CC-BY-4.0", "sa-not-preserved")]
    [InlineData("CC-BY-SA-3.0", "CC0-1.0", "sa-not-preserved")]
    [InlineData("CC-BY-NC-4.0", "CC-BY-4.0", "nc-dropped")]
    [InlineData("CC-BY-NC-SA-4.0", "CC-BY-SA-4.0", "nc-dropped")]
    [InlineData("GPL-3.0-only", "MIT", "gpl-not-preserved")]
    [InlineData("GPL-2.0-only", "GPL-3.0-only", "gpl-not-preserved")]
    [InlineData("CECILL-2.1", "MIT", "copyleft-not-preserved")]
    public void Adapting_a_source_breaks_its_licence(string source, string adaptation, string code)
    {
        var r = Check([new SourceCheck(SourceCheck.BasedOn, "alice/source", SourceCheck.Found, [source])],
            ("LICENSE", Text(adaptation)), ("resource.yml", $"licence: {adaptation}\nbased_on: alice/source\n"));
        var f = Assert.Single(r.Findings, f => f.Severity == FindingSeverity.Error);
        Assert.Equal((code, "resource.yml"), (f.Code, f.Path));
        Assert.Contains("alice/source", f.Message);
        Assert.Equal(LicenceStatus.NotReusable, r.Status);
    }

    [Theory]
    [InlineData("CC-BY-4.0", "CC-BY-SA-4.0")]
    [InlineData("CC-BY-SA-4.0", "CC-BY-SA-4.0")]
    [InlineData("CC-BY-SA-3.0", "CC-BY-SA-4.0")]
    [InlineData("CC-BY-SA-4.0", "GPL-3.0-or-later")]
    [InlineData("CC-BY-NC-SA-4.0", "CC-BY-NC-SA-4.0")]
    [InlineData("CC-BY-NC-4.0", "CC-BY-NC-SA-4.0")]
    [InlineData("GPL-2.0-or-later", "GPL-3.0-only")]
    [InlineData("GPL-3.0-or-later", "AGPL-3.0-only")]
    [InlineData("etalab-2.0", "CC-BY-4.0")]
    [InlineData("MIT", "GPL-3.0-only")]
    public void Adapting_a_source_within_its_licence_is_fine(string source, string adaptation)
    {
        var r = Check([new SourceCheck(SourceCheck.BasedOn, "alice/source", SourceCheck.Found, [source])],
            ("LICENSE", Text(adaptation)), ("resource.yml", $"licence: {adaptation}\nbased_on: alice/source\n"));
        Assert.DoesNotContain(r.Findings, f => f.Severity == FindingSeverity.Error);
    }

    [Fact]
    public void A_source_without_licence_or_out_of_reach()
    {
        var files = new[] { ("LICENSE", Text("CC-BY-4.0")) };
        Assert.Equal("source-without-licence", Assert.Single(Check([new SourceCheck(SourceCheck.BasedOn, "bob/x", SourceCheck.Found, [])], files).Findings).Code);
        Assert.Equal("source-not-found", Assert.Single(Check([new SourceCheck(SourceCheck.BasedOn, "bob/x", SourceCheck.NotFound, [])], files).Findings).Code);
        Assert.Equal("source-external", Assert.Single(Check([new SourceCheck(SourceCheck.BasedOn, "https://example.org/cours", SourceCheck.External, [])], files).Findings).Code);
        // A fork's parent is checked by the same rules.
        Assert.Equal("nd-adaptation", Assert.Single(Check([new SourceCheck(SourceCheck.Fork, "bob/x", SourceCheck.Found, ["CC-BY-ND-4.0"])], files).Findings).Code);
    }
}
