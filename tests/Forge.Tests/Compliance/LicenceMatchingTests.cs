using System.Text;
using Forge.Core.Licences;
using Xunit;

namespace Forge.Tests.Compliance;

/// <summary>Licence texts from the vendored SPDX data, as teachers copy them: exact, filled in, reflowed, modified.</summary>
public sealed class LicenceMatchingTests
{
    public static readonly TheoryData<string> Required = new()
    {
        "CC0-1.0", "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "etalab-2.0",
        "MIT", "BSD-2-Clause", "BSD-3-Clause", "Apache-2.0", "GPL-2.0-only", "GPL-3.0-only", "AGPL-3.0-only", "LGPL-2.1-only", "LGPL-3.0-only",
        "MPL-2.0", "EUPL-1.2", "CECILL-2.1", "CECILL-B", "CECILL-C", "ODbL-1.0",
    };

    [Theory]
    [MemberData(nameof(Required))]
    public void Every_required_licence_text_is_recognised_exactly(string id)
    {
        var text = LicenceCatalogue.TextOf(id);
        Assert.NotNull(text);
        var match = LicenceMatcher.Match(text!);
        Assert.NotNull(match);
        Assert.Equal(MatchMethod.Text, match!.Method);
        Assert.True(LicenceCatalogue.SameLicence(id, match.Id), $"{id} recognised as {match.Id}");
        Assert.Equal(100, match.Confidence);
    }

    [Fact]
    public void Licences_that_differ_by_a_clause_are_never_confused()
    {
        // The Creative Commons family shares most of its words: each text must still be closest to itself.
        foreach (var id in new[] { "CC-BY-4.0", "CC-BY-SA-4.0", "CC-BY-NC-4.0", "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0", "CC-BY-NC-ND-4.0", "GPL-3.0-only", "AGPL-3.0-only", "CECILL-2.1", "CECILL-C" })
        {
            var own = LicenceText.Normalise(LicenceCatalogue.TextOf(id)!);
            foreach (var other in LicenceCatalogue.WithText.Where(l => !LicenceCatalogue.SameLicence(l.Id, id)))
                Assert.True(LicenceText.Similarity(own, LicenceText.Normalise(other.Text!)) < LicenceMatcher.Threshold, $"{id} ~ {other.Id}");
        }
    }

    [Fact]
    public void Mit_with_its_copyright_line_filled_in_is_mit()
    {
        var text = LicenceCatalogue.TextOf("MIT")!.Replace("<year> <copyright holders>", "2025 Lycée Jean Moulin, Alice Martin");
        Assert.Contains("2025 Lycée Jean Moulin", text);
        var match = LicenceMatcher.Match(text)!;
        Assert.Equal(("MIT", MatchMethod.Text), (match.Id, match.Method));
        Assert.True(match.Confidence >= 98);
    }

    [Fact]
    public void A_copy_with_other_line_breaks_quotes_bullets_spelling_and_links_is_the_same_licence()
    {
        var original = LicenceCatalogue.TextOf("CC-BY-SA-4.0")!;
        // Reflowed to 60 columns with CRLF, curly quotes made straight, « License » spelt the British way, links in http.
        var words = original.Replace("“", "\"").Replace("”", "\"").Replace("’", "'").Replace("License", "Licence")
            .Replace("https://", "http://").Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries);
        var copy = new StringBuilder("  * Copyright (c) 2024 Académie de Lyon\r\n\r\n");
        var width = 0;
        foreach (var w in words)
        {
            if (width + w.Length > 60) { copy.Append("\r\n"); width = 0; }
            copy.Append(w).Append(' ');
            width += w.Length + 1;
        }
        var match = LicenceMatcher.Match(copy.ToString())!;
        Assert.Equal(("CC-BY-SA-4.0", MatchMethod.Text), (match.Id, match.Method));
    }

    [Fact]
    public void A_slightly_modified_licence_is_reported_as_modified_with_its_closest_licence()
    {
        var mit = LicenceCatalogue.TextOf("MIT")!.Replace("to deal in the Software without restriction,",
            "to deal in the Software, for non-commercial teaching only and never for profit,");
        var match = LicenceMatcher.Match(mit)!;
        Assert.Equal(("MIT", MatchMethod.ModifiedText), (match.Id, match.Method));
        Assert.InRange(match.Confidence, LicenceMatcher.CloseThreshold, LicenceMatcher.Threshold - 0.01);

        var sa = LicenceCatalogue.TextOf("CC-BY-SA-4.0")!;
        var middle = sa.IndexOf("Section 3", StringComparison.Ordinal);
        var cut = sa[..middle] + "Toute utilisation commerciale de ce cours est interdite sans accord écrit préalable de l’auteur.\n" + sa[middle..];
        var partial = LicenceMatcher.Match(cut)!;
        Assert.Equal(("CC-BY-SA-4.0", MatchMethod.ModifiedText), (partial.Id, partial.Method));
    }

    [Fact]
    public void A_home_made_licence_matches_nothing()
    {
        Assert.Null(LicenceMatcher.Match("Ce document est la propriété de son auteur. Toute reproduction, même partielle, est interdite sans autorisation.\n"));
    }

    [Theory]
    [InlineData("Ce cours est sous licence CC BY-SA 4.0.", "CC-BY-SA-4.0")]
    [InlineData("Licence : https://creativecommons.org/licenses/by-nc-nd/4.0/deed.fr", "CC-BY-NC-ND-4.0")]
    [InlineData("Publié sous Licence Ouverte / Open Licence version 2.0 (Etalab).", "etalab-2.0")]
    [InlineData("CC-BY-4.0\n", "CC-BY-4.0")]
    [InlineData("SPDX-License-Identifier: GPL-3.0-or-later", "GPL-3.0-or-later")]
    [InlineData("Placé dans le domaine public : CC0.", "CC0-1.0")]
    [InlineData("Released under the MIT License.", "MIT")]
    public void A_short_notice_names_its_licence(string text, string id)
    {
        var match = LicenceMatcher.Match(text)!;
        Assert.Equal((id, MatchMethod.Mention), (match.Id, match.Method));
    }

    [Fact]
    public void Spdx_expressions_and_deprecated_ids()
    {
        Assert.Equal(["MIT", "Apache-2.0"], SpdxExpression.Ids("(MIT OR Apache-2.0)"));
        Assert.Equal(["GPL-2.0-only"], SpdxExpression.Ids("GPL-2.0 WITH Classpath-exception-2.0"));
        Assert.Equal(["CC-BY-SA-4.0", "LicenseRef-Images-Musee"], SpdxExpression.Ids("CC-BY-SA-4.0 AND LicenseRef-Images-Musee"));
        Assert.Equal("GPL-3.0-or-later", LicenceCatalogue.Canonical("gpl-3.0+"));
        Assert.Equal("etalab-2.0", LicenceCatalogue.Canonical("ETALAB-2.0"));
        Assert.Null(LicenceCatalogue.Canonical("CC-BY-SA"));
        Assert.True(LicenceCatalogue.Count > 700);
    }

    [Fact]
    public void Spdx_headers_are_read_from_comments_of_every_kind()
    {
        FileFacts Facts(string path, string text) => FileFactsReader.Read(path, new string('a', 40), Encoding.UTF8.GetBytes(text), false);
        var py = Facts("tri.py", "#!/usr/bin/env python3\n# SPDX-FileCopyrightText: 2025 Alice Martin\n# SPDX-License-Identifier: MIT\n");
        Assert.Equal(["MIT"], py.Licences);
        Assert.True(py.Copyright);
        var md = Facts("cours.md", "<!-- SPDX-License-Identifier: CC-BY-SA-4.0 -->\n# Cours\n");
        Assert.Equal(["CC-BY-SA-4.0"], md.Licences);
        Assert.False(md.Copyright);
        var css = Facts("style.css", "/* SPDX-License-Identifier: CC0-1.0 */\n/* © 2024 Bruno */\n");
        Assert.Equal(["CC0-1.0"], css.Licences);
        Assert.True(css.Copyright);
        var nb = Facts("tp.ipynb", "{\"cells\":[{\"source\":[\"# SPDX-License-Identifier: CC-BY-4.0\\n\",\"# Copyright 2025 Alice\\n\"]}]}");
        Assert.Equal(["CC-BY-4.0"], nb.Licences);
        Assert.True(nb.Copyright);
        var ignored = Facts("doc.md", "REUSE-IgnoreStart\nSPDX-License-Identifier: MIT\nREUSE-IgnoreEnd\n");
        Assert.Empty(ignored.Licences);
        Assert.Equal(FileRole.Sidecar, FileFactsReader.RoleOf("images/carte.png.license"));
        Assert.Equal(FileRole.LicenceFile, FileFactsReader.RoleOf("LICENCE.md"));
        Assert.Equal(FileRole.LicenceFile, FileFactsReader.RoleOf("images/COPYING"));
        Assert.Equal(FileRole.ReuseText, FileFactsReader.RoleOf("LICENSES/CC-BY-SA-4.0.txt"));
        Assert.Equal(FileRole.Ordinary, FileFactsReader.RoleOf("cours/licences-libres.md"));
    }

    [Fact]
    public void Reuse_toml_and_dep5_annotations()
    {
        var toml = ReuseConfig.ParseToml("""
            version = 1

            [[annotations]]
            path = ["images/**", "*.csv"]   # tout le dossier
            precedence = "override"
            SPDX-FileCopyrightText = "2025 Musée de Lyon"
            SPDX-License-Identifier = "CC-BY-NC-4.0"

            [[annotations]]
            path = "images/logo.svg"
            SPDX-License-Identifier = 'CC0-1.0'
            """);
        Assert.Empty(toml.Problems);
        Assert.Equal("CC-BY-NC-4.0", toml.For("images/cartes/france.png")?.LicenceExpression);
        Assert.Equal(ReusePrecedence.Override, toml.For("images/cartes/france.png")?.Precedence);
        Assert.Equal("CC0-1.0", toml.For("images/logo.svg")?.LicenceExpression);
        Assert.Equal("CC-BY-NC-4.0", toml.For("notes.csv")?.LicenceExpression);
        Assert.Null(toml.For("data/notes.csv"));

        var broken = ReuseConfig.ParseToml("[[annotations]]\npath = [\"a\"\nSPDX-License-Identifier = \"MIT\n");
        Assert.NotEmpty(broken.Problems);

        var dep5 = ReuseConfig.ParseDep5("""
            Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
            Upstream-Name: cours

            Files: *.md
            Copyright: 2025 Alice Martin
            License: CC-BY-SA-4.0

            Files: images/*
            Copyright: 2025 Wikimedia
             et contributeurs
            License: CC-BY-4.0
            """);
        Assert.Equal("CC-BY-SA-4.0", dep5.For("chapitre/un.md")?.LicenceExpression);
        Assert.Equal("CC-BY-4.0", dep5.For("images/a/b.png")?.LicenceExpression);
        Assert.True(dep5.For("images/a/b.png")!.HasCopyright);
    }
}
