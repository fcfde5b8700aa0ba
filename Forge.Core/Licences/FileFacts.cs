using System.Text;
using System.Text.RegularExpressions;
using Forge.Core.Resources;

namespace Forge.Core.Licences;

/// <summary>What part a file plays in a repository's licensing.</summary>
public enum FileRole
{
    /// <summary>Content: must be covered by some licence information.</summary>
    Ordinary,
    /// <summary><c>LICENSE</c>, <c>LICENCE.md</c>, <c>COPYING</c>…: applies to its folder and below.</summary>
    LicenceFile,
    /// <summary><c>LICENSES/&lt;id&gt;.txt</c> of the REUSE convention: the text of a licence used in the repository.</summary>
    ReuseText,
    /// <summary><c>resource.yml</c>: may declare a licence and the resource it adapts (<c>based_on</c>).</summary>
    ResourceYml,
    ReuseToml,
    Dep5,
    /// <summary>The README of the root: its licence section may name the licence.</summary>
    Readme,
    /// <summary><c>image.png.license</c>: the licence information of <c>image.png</c>.</summary>
    Sidecar,
    /// <summary>Files the REUSE convention does not ask licence information of (<c>.gitignore</c>…).</summary>
    Ignored,
}

/// <summary>
/// What one file (one blob at one path) says about licences. Depends on the path and the bytes only, so it is kept
/// from one check to the next and only changed files are read again.
/// </summary>
public sealed record FileFacts
{
    public required string Path { get; init; }
    public required string BlobId { get; init; }
    public FileRole Role { get; init; }
    public bool Binary { get; init; }
    /// <summary>Licence ids of the file's <c>SPDX-License-Identifier</c> (or of a sidecar's).</summary>
    public IReadOnlyList<string> Licences { get; init; } = [];
    public string? Expression { get; init; }
    /// <summary>The file states its copyright holder (<c>SPDX-FileCopyrightText</c>, « Copyright 2025 … », « © … »).</summary>
    public bool Copyright { get; init; }
    /// <summary>For licence files, REUSE texts and READMEs: the licence recognised.</summary>
    public LicenceMatch? Match { get; init; }
    /// <summary>For resource.yml: the declared licence and the adapted resource.</summary>
    public string? Declared { get; init; }
    public string? BasedOn { get; init; }
    /// <summary>For REUSE.toml and dep5: their annotations and problems.</summary>
    public ReuseConfig? Reuse { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public string Folder => Path.LastIndexOf('/') is var i and >= 0 ? Path[..i] : "";
    [System.Text.Json.Serialization.JsonIgnore]
    public string Name => Path[(Path.LastIndexOf('/') + 1)..];
}

/// <summary>Reads the licence facts of a file from its path and (the beginning of) its bytes.</summary>
public static partial class FileFactsReader
{
    /// <summary>How many bytes of an ordinary file are searched for SPDX headers.</summary>
    public const int HeaderBytes = 8 * 1024;

    [GeneratedRegex(@"^(?:licen[cs]e|copying|unlicense)(?:[._-][^/]*)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LicenceFileName();

    [GeneratedRegex(@"^readme(?:\.[a-z]+)?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ReadmeName();

    [GeneratedRegex(@"SPDX-License-Identifier:[ \t]*([^\r\n]*)", RegexOptions.CultureInvariant)]
    private static partial Regex LicenceTag();

    [GeneratedRegex(@"SPDX-FileCopyrightText:|^\W{0,6}(?:Copyright\b[^\n]*?(?:\d{4}|\(c\)|©)|©\s*\d{4})", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex CopyrightTag();

    [GeneratedRegex(@"REUSE-IgnoreStart.*?(?:REUSE-IgnoreEnd|\z)", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex IgnoredRegion();

    [GeneratedRegex(@"^(#{1,6})\s*[^\n]*licen[cs]e[^\n]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LicenceHeading();

    [GeneratedRegex(@"^[^\n]*licen[cs]e[^\n]*$", RegexOptions.Multiline | RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex LicenceLine();

    public static FileRole RoleOf(string path)
    {
        var name = path[(path.LastIndexOf('/') + 1)..];
        if (path.StartsWith("LICENSES/", StringComparison.Ordinal)) return path.Count(c => c == '/') == 1 ? FileRole.ReuseText : FileRole.Ignored;
        if (path == ReuseConfig.TomlFile || path.EndsWith("/" + ReuseConfig.TomlFile, StringComparison.Ordinal)) return FileRole.ReuseToml;
        if (path == ReuseConfig.Dep5File) return FileRole.Dep5;
        if (path.StartsWith(".reuse/", StringComparison.Ordinal) || path.StartsWith(".git/", StringComparison.Ordinal)) return FileRole.Ignored;
        if (name is ".gitignore" or ".gitattributes" or ".gitmodules" or ".mailmap" or ".gitkeep") return FileRole.Ignored;
        if (name.EndsWith(".license", StringComparison.OrdinalIgnoreCase) && name.Length > ".license".Length) return FileRole.Sidecar;
        if (LicenceFileName().IsMatch(name)) return FileRole.LicenceFile;
        if (name == ResourceMetadataParser.FileName) return FileRole.ResourceYml;
        if (!path.Contains('/') && ReadmeName().IsMatch(name)) return FileRole.Readme;
        return FileRole.Ordinary;
    }

    /// <summary>How many bytes of a file with this role are worth reading.</summary>
    public static int BytesToRead(FileRole role) => role switch
    {
        FileRole.LicenceFile or FileRole.ReuseText => LicenceText.MaxChars,
        FileRole.ResourceYml => ResourceMetadataParser.MaxBytes,
        FileRole.ReuseToml or FileRole.Dep5 => 256 * 1024,
        FileRole.Readme => 64 * 1024,
        FileRole.Ignored => 0,
        _ => HeaderBytes,
    };

    public static FileFacts Read(string path, string blobId, ReadOnlySpan<byte> bytes, bool binary)
    {
        var role = RoleOf(path);
        var facts = new FileFacts { Path = path, BlobId = blobId, Role = role, Binary = binary };
        if (binary || role == FileRole.Ignored) return facts;
        var text = Encoding.UTF8.GetString(bytes);
        switch (role)
        {
            case FileRole.LicenceFile:
            case FileRole.ReuseText:
                return facts with { Match = LicenceMatcher.Match(text) };
            case FileRole.ResourceYml:
                var metadata = ResourceMetadataParser.Parse(text).Metadata;
                return Header(facts, text) with { Declared = metadata.Licence, BasedOn = metadata.BasedOn };
            case FileRole.ReuseToml:
                return facts with { Reuse = ReuseConfig.ParseToml(text, facts.Folder) };
            case FileRole.Dep5:
                return facts with { Reuse = ReuseConfig.ParseDep5(text) };
            case FileRole.Readme:
                return Header(facts, text) with { Match = ReadmeMention(text) };
            default:
                // A notebook is JSON: its header comment lines sit in escaped strings.
                if (path.EndsWith(".ipynb", StringComparison.OrdinalIgnoreCase)) text = text.Replace("\\n", "\n").Replace("\"", "\n");
                return Header(facts, text);
        }
    }

    /// <summary>The SPDX licence and copyright tags of a text (REUSE-IgnoreStart … REUSE-IgnoreEnd regions skipped).</summary>
    public static FileFacts Header(FileFacts facts, string text)
    {
        if (text.Length > HeaderBytes * 2) text = text[..(HeaderBytes * 2)];
        if (text.Contains("REUSE-IgnoreStart", StringComparison.Ordinal)) text = IgnoredRegion().Replace(text, " ");
        var ids = new List<string>();
        var expressions = new List<string>();
        foreach (Match m in LicenceTag().Matches(text))
        {
            var value = CleanTagValue(m.Groups[1].Value);
            if (value.Length == 0) continue;
            expressions.Add(value);
            foreach (var id in SpdxExpression.Ids(value))
                if (!ids.Contains(id, StringComparer.OrdinalIgnoreCase)) ids.Add(id);
        }
        return facts with
        {
            Licences = ids,
            Expression = expressions.Count == 0 ? null : string.Join(" AND ", expressions.Distinct()),
            Copyright = CopyrightTag().IsMatch(text),
        };
    }

    /// <summary>The tag's value without what commonly follows it on the line: comment closers, JSON string ends.</summary>
    private static string CleanTagValue(string value)
    {
        foreach (var end in new[] { "\\n", "\\r", "\"", "-->", "*/", "'''", "#}", "%}" })
        {
            var i = value.IndexOf(end, StringComparison.Ordinal);
            if (i >= 0) value = value[..i];
        }
        return value.Trim().TrimEnd(',', ';');
    }

    /// <summary>The licence a README names in its « Licence » section (or, without one, on a line mentioning a licence).</summary>
    public static LicenceMatch? ReadmeMention(string text)
    {
        var heading = LicenceHeading().Match(text);
        string section;
        if (heading.Success)
        {
            var level = heading.Groups[1].Value.Length;
            var rest = text[(heading.Index + heading.Length)..];
            var next = Regex.Match(rest, $@"^#{{1,{level}}}\s", RegexOptions.Multiline);
            section = next.Success ? rest[..next.Index] : rest;
        }
        else
        {
            section = string.Join('\n', LicenceLine().Matches(text).Select(m => m.Value).Take(5));
        }
        if (section.Length > 4000) section = section[..4000];
        return section.Length == 0 ? null : LicenceMatcher.Mentions(section).FirstOrDefault();
    }
}
