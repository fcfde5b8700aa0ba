using System.Xml;
using System.Xml.Schema;

namespace Forge.Tests.Modules;

/// <summary>
/// Validates export manifests against the official schema files shipped in <c>tests/Forge.Tests/Schemas</c> (SCORM 1.2:
/// IMS CP 1.1.2 + ADL CP extensions + IMS MD; IMS Common Cartridge 1.1: CP 1.2 profile + LOM profiles + web links), with
/// System.Xml.Schema. Every error and warning is returned (an element no schema declares, an unresolved import) — an empty
/// list means the document is valid.
/// </summary>
public static class ExportSchemas
{
    private static string Folder => Path.Combine(AppContext.BaseDirectory, "Schemas");

    /// <summary>
    /// SCORM 1.2: the content packaging schema and ADL's extensions. IMS MD 1.2.1 (<c>imsmd_rootv1p2p1.xsd</c>) is shipped in
    /// every package as the manifest names it, but not loaded here: its content models break XML Schema's « unique particle
    /// attribution » rule, which .NET enforces (it refuses the whole set), and the manifest has no IMS MD element anyway.
    /// </summary>
    public static IReadOnlyList<string> ValidateScorm(string xml) =>
        Validate(xml, Path.Combine(Folder, "scorm12"), ["imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd"]);

    public static IReadOnlyList<string> ValidateCommonCartridge(string xml) =>
        Validate(xml, Path.Combine(Folder, "cc11"), ["ccv1p1_imscp_v1p2_v1p0.xsd"]);

    public static IReadOnlyList<string> ValidateWebLink(string xml) =>
        Validate(xml, Path.Combine(Folder, "cc11"), ["ccv1p1_imswl_v1p1.xsd"]);

    private static IReadOnlyList<string> Validate(string xml, string folder, IReadOnlyList<string> schemaFiles)
    {
        var problems = new List<string>();
        var schemas = new XmlSchemaSet { XmlResolver = new LocalResolver(folder) };
        schemas.ValidationEventHandler += (_, e) => problems.Add($"schema {e.Severity}: {e.Message}");
        foreach (var file in schemaFiles)
        {
            using var reader = XmlReader.Create(Path.Combine(folder, file), new XmlReaderSettings { XmlResolver = new LocalResolver(folder), DtdProcessing = DtdProcessing.Prohibit });
            schemas.Add(null, reader);
        }
        schemas.Compile();
        var settings = new XmlReaderSettings
        {
            ValidationType = ValidationType.Schema,
            Schemas = schemas,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings | XmlSchemaValidationFlags.ProcessIdentityConstraints,
        };
        settings.ValidationEventHandler += (_, e) => problems.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using (var reader = XmlReader.Create(new StringReader(xml), settings))
            while (reader.Read()) { }
        return problems;
    }

    /// <summary>Fails with every problem's message when the document is not valid.</summary>
    public static void AssertValid(IReadOnlyList<string> problems, string what)
    {
        if (problems.Count > 0) throw new Xunit.Sdk.XunitException($"{what} is not valid:\n" + string.Join("\n", problems));
    }

    /// <summary>
    /// The <c>xml:</c> attributes (<c>lang</c>, <c>base</c>, <c>space</c>) as W3C's <c>xml.xsd</c> declares them. The schemas
    /// import them from <c>xml.xsd</c> (CC) or <c>ims_xml.xsd</c> (SCORM); IMS's file binds the XML namespace as its default
    /// namespace, which the Namespaces in XML recommendation forbids and .NET's reader refuses, so both names resolve to this.
    /// </summary>
    private const string XmlNamespaceSchema = """
        <xs:schema targetNamespace="http://www.w3.org/XML/1998/namespace" xmlns:xs="http://www.w3.org/2001/XMLSchema">
          <xs:attribute name="lang"><xs:simpleType><xs:union memberTypes="xs:language"><xs:simpleType><xs:restriction base="xs:string"><xs:enumeration value=""/></xs:restriction></xs:simpleType></xs:union></xs:simpleType></xs:attribute>
          <xs:attribute name="space"><xs:simpleType><xs:restriction base="xs:NCName"><xs:enumeration value="default"/><xs:enumeration value="preserve"/></xs:restriction></xs:simpleType></xs:attribute>
          <xs:attribute name="base" type="xs:anyURI"/>
          <xs:attribute name="id" type="xs:ID"/>
        </xs:schema>
        """;

    /// <summary>Resolves schema locations to files of the folder only (never the network).</summary>
    private sealed class LocalResolver(string folder) : XmlResolver
    {
        public override object? GetEntity(Uri absoluteUri, string? role, Type? ofObjectToReturn)
        {
            var name = Path.GetFileName(absoluteUri.LocalPath);
            if (name is "xml.xsd" or "ims_xml.xsd") return new MemoryStream(System.Text.Encoding.UTF8.GetBytes(XmlNamespaceSchema));
            var path = Path.Combine(folder, name);
            return File.Exists(path) ? File.OpenRead(path) : throw new FileNotFoundException($"schema {name} is not shipped in the tests");
        }
    }
}
