using System.Text;
using Forge.Jobs;
using Xunit;

namespace Forge.Tests.Modules;

/// <summary>The manifests of the SCORM 1.2 and IMS Common Cartridge 1.1 packages against the official schemas (no server needed).</summary>
public sealed class ExportManifestTests
{
    private static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    [Fact]
    public void Scorm_and_common_cartridge_manifests_validate_against_their_schemas_and_a_broken_one_does_not()
    {
        var scorm = ExportSample.Package(ModuleExportFormats.Scorm);
        var manifest = Text(scorm.Files["imsmanifest.xml"]);
        ExportSchemas.AssertValid(ExportSchemas.ValidateScorm(manifest), "the SCORM manifest");
        Assert.Contains("adlcp:scormtype=\"sco\"", manifest);
        Assert.Contains("<schema>ADL SCORM</schema>", manifest);
        Assert.Contains("<schemaversion>1.2</schemaversion>", manifest);
        Assert.Equal(2, manifest.Split("adlcp:scormtype=\"sco\"").Length - 1);              // one SCO per section
        Assert.Contains("href=\"files/cours/images/sch%C3%A9ma%20boucle.png\"", manifest);
        foreach (var schema in new[] { "imscp_rootv1p1p2.xsd", "adlcp_rootv1p2.xsd", "imsmd_rootv1p2p1.xsd", "ims_xml.xsd" })
            Assert.Equal(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Schemas", "scorm12", schema)), scorm.Files[schema]);

        var cc = ExportSample.Package(ModuleExportFormats.CommonCartridge);
        var ccManifest = Text(cc.Files["imsmanifest.xml"]);
        ExportSchemas.AssertValid(ExportSchemas.ValidateCommonCartridge(ccManifest), "the IMS CC manifest");
        Assert.Contains("xmlns=\"http://www.imsglobal.org/xsd/imsccv1p1/imscp_v1p1\"", ccManifest);
        Assert.Contains("<schemaversion>1.1.0</schemaversion>", ccManifest);
        Assert.Contains("type=\"imswl_xmlv1p1\"", ccManifest);
        var links = cc.Files.Where(f => f.Key.StartsWith("weblinks/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, links.Count);
        foreach (var (name, link) in links) ExportSchemas.AssertValid(ExportSchemas.ValidateWebLink(Text(link)), name);

        // The validation really runs: a manifest that breaks each schema is refused, with the schema's message.
        Assert.NotEmpty(ExportSchemas.ValidateScorm(manifest.Replace("<organizations default=\"ORG-1\">", "<organisations default=\"ORG-1\">").Replace("</organizations>", "</organisations>")));
        Assert.NotEmpty(ExportSchemas.ValidateCommonCartridge(ccManifest.Replace("<schemaversion>1.1.0</schemaversion>", "<schemaversion>1.3.0</schemaversion>")));
    
        // Over the size limit: a clear French error instead of a package.
        var tooBig = Assert.Throws<Forge.Web.Modules.Exports.ExportTooLargeException>(() => ExportSample.Package(ModuleExportFormats.Html, maxBytes: 8 * 1024));
        Assert.StartsWith("L’export dépasse la taille maximale", tooBig.Message);
    }
}
