using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Forge.Web.Rendering;

/// <summary>HTML encoding that leaves French letters alone (<c>é</c>, not <c>&amp;#233;</c>): safe, and smaller pages.</summary>
public static class Html
{
    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);

    public static string Encode(string text) => Encoder.Encode(text);
}
