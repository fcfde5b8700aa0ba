using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Forge.Core.Resources;

/// <summary>
/// The <c>teacher_only:</c> field of <c>resource.yml</c>: gitignore-style patterns (from the repository root) of solutions and
/// teacher notes, a list or one pattern. Read by the site builder, the search indexer and the web's <c>TeacherOnlyFilter</c>.
/// </summary>
public static class TeacherOnly
{
    /// <summary>Largest <c>resource.yml</c> read for its patterns.</summary>
    public const int MaxBytes = 256 * 1024;

    /// <summary>The patterns of a <c>resource.yml</c> (empty when it has none or cannot be read).</summary>
    public static IReadOnlyList<string> Parse(string yaml)
    {
        YamlNode? root;
        try
        {
            var stream = new YamlStream();
            using var reader = new StringReader(yaml.TrimStart('\uFEFF'));
            stream.Load(new Parser(new Scanner(reader, skipComments: true)));
            root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        }
        catch (Exception e) when (e is YamlException or InvalidOperationException)
        {
            // Unreadable (YamlDotNet throws InvalidOperationException on some malformed input): no patterns from this file.
            return [];
        }
        if (root is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode("teacher_only"), out var node)) return [];
        return node switch
        {
            YamlScalarNode s when !string.IsNullOrWhiteSpace(s.Value) => [s.Value!],
            YamlSequenceNode seq => seq.Children.OfType<YamlScalarNode>().Select(n => n.Value ?? "").Where(v => v.Length > 0).Take(200).ToList(),
            _ => [],
        };
    }

    /// <summary>The patterns of a <c>resource.yml</c>'s bytes (null: no file).</summary>
    public static PathPatterns Of(byte[]? resourceYml) =>
        resourceYml is null || resourceYml.Length > MaxBytes ? PathPatterns.None
            : Parse(System.Text.Encoding.UTF8.GetString(resourceYml)) is { Count: > 0 } patterns ? new PathPatterns(patterns) : PathPatterns.None;
}
