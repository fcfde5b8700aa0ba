using System.IO.Compression;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Forge.Jobs;

namespace Forge.Web.Modules.Exports;

/// <summary>
/// Adds each format's own files to a <see cref="ModulePackage"/> and writes the zip: SCORM 1.2 (<c>imsmanifest.xml</c> with one
/// SCO per section, and the schema files it names), IMS Common Cartridge 1.1 (<c>imsmanifest.xml</c> whose top-level items
/// are the sections, web content and web links), or the offline HTML site (its <c>index.html</c> is already there).
/// </summary>
public static class PackageWriter
{
    public static readonly XNamespace ScormCp = "http://www.imsproject.org/xsd/imscp_rootv1p1p2";
    public static readonly XNamespace Adlcp = "http://www.adlnet.org/xsd/adlcp_rootv1p2";
    public static readonly XNamespace Xsi = "http://www.w3.org/2001/XMLSchema-instance";
    public static readonly XNamespace CcCp = "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1";
    public static readonly XNamespace CcLom = "http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest";
    public static readonly XNamespace CcWebLink = "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1";
    public static readonly XNamespace CcAuthorization = "http://www.imsglobal.org/xsd/imsccv1p1/imsccauth_v1p1";

    public static void AddFormatFiles(ModulePackage package, string format, long maxBytes)
    {
        switch (format)
        {
            case ModuleExportFormats.Scorm:
                foreach (var schema in ExportAssets.ScormSchemas) package.Add(schema, ExportAssets.Read(schema), maxBytes);
                package.Add("imsmanifest.xml", Serialize(ScormManifest(package)), maxBytes);
                break;
            case ModuleExportFormats.CommonCartridge:
                foreach (var section in package.Sections)
                    for (var l = 0; l < section.Links.Count; l++)
                        package.Add(WebLinkFile(section.Number, l + 1), Serialize(WebLink(section.Links[l])), maxBytes);
                package.Add("imsmanifest.xml", Serialize(CommonCartridgeManifest(package)), maxBytes);
                break;
        }
    }

    /// <summary>Writes the package as a zip to <paramref name="path"/>.</summary>
    public static void WriteZip(ModulePackage package, string path)
    {
        using var output = File.Create(path);
        using var zip = new ZipArchive(output, ZipArchiveMode.Create);
        // The manifest first: some platforms look at the start of the archive.
        foreach (var (name, content) in package.Files.OrderBy(f => f.Key == "imsmanifest.xml" ? 0 : 1).ThenBy(f => f.Key, StringComparer.Ordinal))
        {
            var entry = zip.CreateEntry(name, IsCompressed(name) ? CompressionLevel.NoCompression : CompressionLevel.Optimal);
            entry.LastWriteTime = new DateTimeOffset(2000, 1, 1, 0, 0, 0, TimeSpan.Zero);
            using var stream = entry.Open();
            stream.Write(content);
        }
    }

    private static bool IsCompressed(string name) =>
        Path.GetExtension(name).ToLowerInvariant() is ".png" or ".jpg" or ".jpeg" or ".gif" or ".webp" or ".mp4" or ".webm" or ".mp3" or ".ogg" or ".zip" or ".pdf";

    /// <summary>An identifier for the manifest (an XML name): the repository and the commit.</summary>
    private static string ManifestId(ModulePackage package) => $"forge-{package.Origin.Commit[..12]}";

    public static XDocument ScormManifest(ModulePackage package)
    {
        var organization = new XElement(ScormCp + "organization", new XAttribute("identifier", "ORG-1"),
            new XElement(ScormCp + "title", package.Module.Title),
            package.Sections.Select(s => new XElement(ScormCp + "item",
                new XAttribute("identifier", $"ITEM-{s.Number}"), new XAttribute("identifierref", $"SCO-{s.Number}"), new XAttribute("isvisible", "true"),
                new XElement(ScormCp + "title", s.Title),
                s.HasQuiz ? new XElement(Adlcp + "masteryscore", package.Module.PassMarkPercent) : null)));
        var shared = new[] { ModulePackage.Stylesheet, ModulePackage.Script };
        var resources = new XElement(ScormCp + "resources",
            package.Sections.Select(s => new XElement(ScormCp + "resource",
                new XAttribute("identifier", $"SCO-{s.Number}"), new XAttribute("type", "webcontent"), new XAttribute(Adlcp + "scormtype", "sco"),
                new XAttribute("href", s.File),
                new XElement(ScormCp + "file", new XAttribute("href", s.File)),
                s.Uses.Select(u => new XElement(ScormCp + "file", new XAttribute("href", Href(u)))),
                new XElement(ScormCp + "dependency", new XAttribute("identifierref", "SHARED")))),
            new XElement(ScormCp + "resource", new XAttribute("identifier", "SHARED"), new XAttribute("type", "webcontent"), new XAttribute(Adlcp + "scormtype", "asset"),
                shared.Select(f => new XElement(ScormCp + "file", new XAttribute("href", f)))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(ScormCp + "manifest",
                new XAttribute("identifier", ManifestId(package)), new XAttribute("version", "1.0"),
                new XAttribute(XNamespace.Xmlns + "adlcp", Adlcp), new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
                new XAttribute(Xsi + "schemaLocation",
                    "http://www.imsproject.org/xsd/imscp_rootv1p1p2 imscp_rootv1p1p2.xsd http://www.imsglobal.org/xsd/imsmd_rootv1p2p1 imsmd_rootv1p2p1.xsd http://www.adlnet.org/xsd/adlcp_rootv1p2 adlcp_rootv1p2.xsd"),
                new XElement(ScormCp + "metadata", new XElement(ScormCp + "schema", "ADL SCORM"), new XElement(ScormCp + "schemaversion", "1.2")),
                new XElement(ScormCp + "organizations", new XAttribute("default", "ORG-1"), organization),
                resources));
    }

    public static string WebLinkFile(int section, int link) => $"weblinks/section-{section}-link-{link}.xml";

    public static XDocument WebLink(PackagedLink link) =>
        new(new XDeclaration("1.0", "UTF-8", null),
            new XElement(CcWebLink + "webLink",
                new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
                new XAttribute(Xsi + "schemaLocation", "http://www.imsglobal.org/xsd/imsccv1p1/imswl_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imswl_v1p1.xsd"),
                new XElement(CcWebLink + "title", link.Title),
                new XElement(CcWebLink + "url", new XAttribute("href", link.Url), new XAttribute("target", "_blank"))));

    public static XDocument CommonCartridgeManifest(ModulePackage package)
    {
        var module = package.Module;
        XElement LangString(string name, string text) => new(CcLom + name, new XElement(CcLom + "string", new XAttribute("language", "fr"), text));
        var general = new XElement(CcLom + "general", LangString("title", module.Title), new XElement(CcLom + "language", "fr"),
            module.Description is { Length: > 0 } d ? LangString("description", d) : null);
        // Moodle turns each top-level item into a course section, and each child into an activity of it.
        var items = package.Sections.Select(s => new XElement(CcCp + "item", new XAttribute("identifier", $"SECTION-{s.Number}"),
            new XElement(CcCp + "title", s.Title),
            new XElement(CcCp + "item", new XAttribute("identifier", $"SECTION-{s.Number}-PAGE"), new XAttribute("identifierref", $"PAGE-{s.Number}"),
                new XElement(CcCp + "title", s.HasQuiz ? $"{s.Title} (cours et quiz)" : s.Title)),
            s.Links.Select((l, i) => new XElement(CcCp + "item", new XAttribute("identifier", $"SECTION-{s.Number}-LINK-{i + 1}"),
                new XAttribute("identifierref", $"LINK-{s.Number}-{i + 1}"), new XElement(CcCp + "title", l.Title)))));
        var shared = new[] { ModulePackage.Stylesheet, ModulePackage.Script };
        var resources = new XElement(CcCp + "resources",
            package.Sections.Select(s => new XElement(CcCp + "resource",
                new XAttribute("identifier", $"PAGE-{s.Number}"), new XAttribute("type", "webcontent"), new XAttribute("href", s.File),
                new XElement(CcCp + "file", new XAttribute("href", s.File)),
                shared.Concat(s.Uses).Select(u => new XElement(CcCp + "file", new XAttribute("href", Href(u)))))),
            package.Sections.SelectMany(s => s.Links.Select((_, i) => new XElement(CcCp + "resource",
                new XAttribute("identifier", $"LINK-{s.Number}-{i + 1}"), new XAttribute("type", "imswl_xmlv1p1"),
                new XElement(CcCp + "file", new XAttribute("href", WebLinkFile(s.Number, i + 1)))))));
        return new XDocument(new XDeclaration("1.0", "UTF-8", null),
            new XElement(CcCp + "manifest",
                new XAttribute("identifier", ManifestId(package)),
                // autz: the schema gives every resource a default « protected="false" » in that namespace.
                new XAttribute(XNamespace.Xmlns + "lomimscc", CcLom), new XAttribute(XNamespace.Xmlns + "autz", CcAuthorization), new XAttribute(XNamespace.Xmlns + "xsi", Xsi),
                new XAttribute(Xsi + "schemaLocation",
                    "http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1 http://www.imsglobal.org/profile/cc/ccv1p1/ccv1p1_imscp_v1p2_v1p0.xsd http://ltsc.ieee.org/xsd/imsccv1p1/LOM/manifest http://www.imsglobal.org/profile/cc/ccv1p1/LOM/ccv1p1_lommanifest_v1p0.xsd"),
                new XElement(CcCp + "metadata", new XElement(CcCp + "schema", "IMS Common Cartridge"), new XElement(CcCp + "schemaversion", "1.1.0"),
                    new XElement(CcLom + "lom", general)),
                new XElement(CcCp + "organizations",
                    new XElement(CcCp + "organization", new XAttribute("identifier", "ORG-1"), new XAttribute("structure", "rooted-hierarchy"),
                        new XElement(CcCp + "item", new XAttribute("identifier", "ROOT"), items))),
                resources));
    }

    /// <summary>A file's path in a manifest: a relative URL, so accented or spaced names are percent-encoded.</summary>
    private static string Href(string path) => Forge.Web.Rendering.MarkdownRenderer.EncodePath(path);

    private static byte[] Serialize(XDocument document)
    {
        using var memory = new MemoryStream();
        using (var writer = XmlWriter.Create(memory, new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = true }))
            document.Save(writer);
        return memory.ToArray();
    }
}
