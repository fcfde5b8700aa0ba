using System.Buffers.Binary;
using System.Net;
using System.Text;
using Forge.Tests.Support;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>
/// Photos, hostile images, videos and PDFs pushed by teachers: light thumbnails made in the background by a child
/// process, hostile files refused without harm, media played with captions.
/// </summary>
public sealed class ImageAndMediaTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private string _token = null!;
    private GitClient _git = null!;

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 1);
        (_, _token) = await _server.CreateUserAsync("alice");
        _git = new GitClient(_tmp.Sub("home"));
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task PushAsync(string name, bool isPrivate, Action<TestRepo> write)
    {
        await _server.CreateRepositoryAsync(_token, name, isPrivate: isPrivate);
        var work = new TestRepo(_tmp.Sub("work-" + name));
        write(work);
        work.Commit("Ajout");
        await _git.MustAsync(work.Path, ("alice", _token), "push", "-q", _server.Url($"/alice/{name}.git"), "main");
    }

    /// <summary>A 2000 × 1500 photo-like JPEG (noise, so it does not compress to nothing).</summary>
    private static byte[] Photo()
    {
        using var image = new Image<Rgb24>(2000, 1500);
        var random = new Random(7);
        image.ProcessPixelRows(rows =>
        {
            for (var y = 0; y < rows.Height; y++)
            {
                var row = rows.GetRowSpan(y);
                for (var x = 0; x < row.Length; x++) row[x] = new Rgb24((byte)(x / 8), (byte)(y / 6), (byte)random.Next(256));
            }
        });
        using var buffer = new MemoryStream();
        image.SaveAsJpeg(buffer);
        return buffer.ToArray();
    }

    /// <summary>A PNG whose header claims 12,000 × 12,000 pixels (a decompression bomb's first bytes) and no real pixels.</summary>
    private static byte[] PngBomb()
    {
        using var png = new MemoryStream();
        png.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        var header = new byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, 12_000);
        BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4), 12_000);
        header[8] = 8; // bit depth
        header[9] = 6; // RGBA
        Chunk(png, "IHDR", header);
        Chunk(png, "IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk(png, "IEND", []);
        return png.ToArray();

        static void Chunk(Stream s, string type, byte[] data)
        {
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, data.Length);
            s.Write(length);
            var typed = Encoding.ASCII.GetBytes(type).Concat(data).ToArray();
            s.Write(typed);
            var crc = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(crc, Crc32(typed));
            s.Write(crc);
        }

        static uint Crc32(byte[] bytes)
        {
            var crc = 0xFFFFFFFFu;
            foreach (var b in bytes)
            {
                crc ^= b;
                for (var k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320u : crc >> 1;
            }
            return ~crc;
        }
    }

    private static async Task<HttpResponseMessage> ThumbnailWhenReadyAsync(HttpClient client, string url)
    {
        HttpResponseMessage? last = null;
        await Wait.UntilAsync(async () => (last = await client.GetAsync(url)).StatusCode == HttpStatusCode.OK, "thumbnail made", seconds: 60);
        return last!;
    }

    [Fact]
    public async Task A_photo_gets_light_webp_thumbnails_in_three_widths_and_the_page_knows_its_size()
    {
        var photo = Photo();
        await PushAsync("sortie", isPrivate: false, repo => repo.WriteBytes("photos/sortie.jpg", photo)
            .Write("README.md", "# Sortie\n\n![La classe](photos/sortie.jpg)\n"));
        using var anonymous = _server.Client();

        var page = await anonymous.GetStringAsync("/alice/sortie/blob/main/photos/sortie.jpg");
        Assert.Contains("srcset=\"/alice/sortie/thumbnail/main/photos/sortie.jpg?w=320 320w, /alice/sortie/thumbnail/main/photos/sortie.jpg?w=640 640w", page);
        Assert.Contains("href=\"/alice/sortie/raw/main/photos/sortie.jpg\"", page); // full size, one click away

        var medium = await ThumbnailWhenReadyAsync(anonymous, "/alice/sortie/thumbnail/main/photos/sortie.jpg?w=600");
        Assert.Equal("image/webp", medium.Content.Headers.ContentType!.MediaType);
        var bytes = await medium.Content.ReadAsByteArrayAsync();
        using (var thumbnail = Image.Load(bytes))
            Assert.Equal((640, 480), (thumbnail.Width, thumbnail.Height));
        Assert.True(bytes.Length * 4 < photo.Length, $"thumbnail {bytes.Length} B, photo {photo.Length} B");

        using (var small = Image.Load(await anonymous.GetByteArrayAsync("/alice/sortie/thumbnail/main/photos/sortie.jpg?w=100")))
            Assert.Equal(320, small.Width);
        using (var large = Image.Load(await anonymous.GetByteArrayAsync("/alice/sortie/thumbnail/main/photos/sortie.jpg?w=3000")))
            Assert.Equal(1280, large.Width);

        // Once made, the page gives the real size (no jump while loading) and the README shows the thumbnail.
        Assert.Contains("width=\"2000\" height=\"1500\"", await anonymous.GetStringAsync("/alice/sortie/blob/main/photos/sortie.jpg"));
        Assert.Contains("src=\"/alice/sortie/thumbnail/main/photos/sortie.jpg?w=1280\"", await anonymous.GetStringAsync("/alice/sortie"));

        // Named by content: the same bytes elsewhere reuse the files already made.
        var thumbs = Directory.GetFiles(Path.Combine(_server.DataPath, "thumbs"), "*.webp", SearchOption.AllDirectories);
        Assert.Equal(3, thumbs.Length);
    }

    [Fact]
    public async Task Hostile_and_broken_images_are_refused_in_the_child_process_and_the_file_stays_reachable()
    {
        await PushAsync("pieges", isPrivate: false, repo => repo.WriteBytes("bombe.png", PngBomb())
            .WriteBytes("casse.jpg", Encoding.UTF8.GetBytes("ceci n'est pas une image, mais un texte nommé .jpg")));
        using var anonymous = _server.Client();
        foreach (var name in new[] { "bombe.png", "casse.jpg" })
        {
            Assert.Contains("/thumbnail/main/" + name, await anonymous.GetStringAsync("/alice/pieges/blob/main/" + name));
        }
        // The job decides once and leaves a marker; the thumbnail URL then always leads to the file itself.
        var thumbs = Path.Combine(_server.DataPath, "thumbs");
        await Wait.UntilAsync(() => Task.FromResult(Directory.Exists(thumbs)
            && Directory.GetFiles(thumbs, "*.refused", SearchOption.AllDirectories).Length == 2), "both refused", seconds: 60);
        foreach (var name in new[] { "bombe.png", "casse.jpg" })
        {
            var thumbnail = await anonymous.GetAsync($"/alice/pieges/thumbnail/main/{name}?w=640");
            Assert.Equal(HttpStatusCode.Redirect, thumbnail.StatusCode);
            Assert.Equal($"/alice/pieges/raw/main/{name}", thumbnail.Headers.Location!.ToString());
        }
        var markers = Directory.GetFiles(thumbs, "*.refused", SearchOption.AllDirectories)
            .Select(File.ReadAllText).Order().ToList();
        Assert.Equal(["not a readable image", "too many pixels or too much memory"], markers);
        Assert.Empty(Directory.GetFiles(thumbs, "*.src", SearchOption.AllDirectories));
        Assert.Empty(Directory.GetFiles(thumbs, "*.webp", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Thumbnails_of_a_private_repository_are_as_private_as_its_files()
    {
        await PushAsync("prive", isPrivate: true, repo => repo.WriteBytes("eleves.jpg", Photo()));
        using var anonymous = _server.Client();
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/prive/thumbnail/main/eleves.jpg?w=320")).StatusCode);
        using var owner = _server.Client(_token);
        var thumbnail = await ThumbnailWhenReadyAsync(owner, "/alice/prive/thumbnail/main/eleves.jpg?w=320");
        Assert.True(thumbnail.Headers.CacheControl is { Private: true, NoStore: true });
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/prive/thumbnail/main/eleves.jpg?w=320")).StatusCode);
    }

    [Fact]
    public async Task A_video_plays_with_its_captions_and_can_be_sought_and_a_PDF_opens()
    {
        var video = new byte[300_000];
        new Random(3).NextBytes(video);
        await PushAsync("videos", isPrivate: false, repo => repo.WriteBytes("cours/boucles.mp4", video)
            .Write("cours/boucles.vtt", "WEBVTT\n\n00:00.000 --> 00:02.000\nBonjour à tous\n")
            .WriteBytes("cours/sans-sous-titres.webm", video)
            .WriteBytes("programme.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")));
        using var anonymous = _server.Client();

        var page = await anonymous.GetStringAsync("/alice/videos/blob/main/cours/boucles.mp4");
        Assert.Contains("<video class=\"media\" controls preload=\"metadata\" src=\"/alice/videos/raw/main/cours/boucles.mp4\">", page);
        Assert.Contains("<track kind=\"captions\" srclang=\"fr\" label=\"Français\" default src=\"/alice/videos/raw/main/cours/boucles.vtt\">", page);
        Assert.Contains("Pas de sous-titres", await anonymous.GetStringAsync("/alice/videos/blob/main/cours/sans-sous-titres.webm"));

        var captions = await anonymous.GetAsync("/alice/videos/raw/main/cours/boucles.vtt");
        Assert.Equal("text/vtt", captions.Content.Headers.ContentType!.MediaType);

        var request = new HttpRequestMessage(HttpMethod.Get, "/alice/videos/raw/main/cours/boucles.mp4");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1000, 1999);
        var part = await anonymous.SendAsync(request);
        Assert.Equal(HttpStatusCode.PartialContent, part.StatusCode);
        Assert.Equal(video[1000..2000], await part.Content.ReadAsByteArrayAsync());

        Assert.Contains("Ouvrir le PDF dans le navigateur", await anonymous.GetStringAsync("/alice/videos/blob/main/programme.pdf"));
    }

    private static string Header(HttpResponseMessage response, string name) =>
        string.Join(", ", response.Headers.TryGetValues(name, out var values) ? values : response.Content.Headers.TryGetValues(name, out var content) ? content : []);

    /// <summary>A raw file's answer: found, with its type, never sniffed, framable as said; returns its Content-Security-Policy.</summary>
    private static string RawHeaders(HttpResponseMessage raw, string type, string frameOptions)
    {
        Assert.Equal(HttpStatusCode.OK, raw.StatusCode);
        Assert.Equal(type, raw.Content.Headers.ContentType!.MediaType);
        Assert.Equal("nosniff", Header(raw, "X-Content-Type-Options"));
        Assert.Equal(frameOptions, Header(raw, "X-Frame-Options"));
        return Header(raw, "Content-Security-Policy");
    }

    [Fact]
    public async Task A_PDF_is_shown_in_a_frame_of_its_page_only_other_raw_files_stay_sandboxed_and_unframable()
    {
        await PushAsync("documents", isPrivate: false, repo => repo.WriteBytes("programme.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"))
            .Write("page.html", "<html><body><script>alert(1)</script></body></html>")
            .Write("figure.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>"));
        await PushAsync("documents-prives", isPrivate: true, repo => repo.WriteBytes("bulletins.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")));
        using var anonymous = _server.Client();

        // The file page embeds the PDF, titled for screen readers, and keeps the links for browsers that show nothing.
        var page = await anonymous.GetStringAsync("/alice/documents/blob/main/programme.pdf");
        Assert.Contains("<iframe class=\"pdf-viewer\" src=\"/alice/documents/raw/main/programme.pdf\" title=\"Document PDF programme.pdf\"", page);
        Assert.Contains("<a href=\"/alice/documents/raw/main/programme.pdf\">Ouvrir le PDF dans le navigateur</a>", page);
        Assert.Contains("<a href=\"/alice/documents/raw/main/programme.pdf\" download=\"programme.pdf\">le télécharger</a>", page);

        // The PDF may be framed by Forge itself (no sandbox: Chromium shows no PDF in one), and still runs no script.
        var pdfPolicy = RawHeaders(await anonymous.GetAsync("/alice/documents/raw/main/programme.pdf"), "application/pdf", "SAMEORIGIN");
        Assert.Contains("frame-ancestors 'self'", pdfPolicy);
        Assert.Contains("script-src 'none'", pdfPolicy);
        Assert.Contains("default-src 'none'", pdfPolicy);
        Assert.DoesNotContain("sandbox", pdfPolicy);

        // Anything else stays as strict: sandboxed, never framed.
        foreach (var (other, type) in new[] { ("page.html", "text/plain"), ("figure.svg", "image/svg+xml") })
            Assert.Equal(RawEndpointPolicy, RawHeaders(await anonymous.GetAsync("/alice/documents/raw/main/" + other), type, "DENY"));
        // The blob pages themselves may not be framed by anyone.
        Assert.Contains("frame-ancestors 'none'", Header(await anonymous.GetAsync("/alice/documents/blob/main/programme.pdf"), "Content-Security-Policy"));

        // A private repository's PDF is nothing to a stranger, raw or embedded; its owner sees it.
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/documents-prives/raw/main/bulletins.pdf")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await anonymous.GetAsync("/alice/documents-prives/blob/main/bulletins.pdf")).StatusCode);
        var (_, bobToken) = await _server.CreateUserAsync("bob");
        using var bob = _server.Client(bobToken);
        Assert.Equal(HttpStatusCode.NotFound, (await bob.GetAsync("/alice/documents-prives/raw/main/bulletins.pdf")).StatusCode);
        using var owner = _server.Client(_token);
        var own = await owner.GetAsync("/alice/documents-prives/raw/main/bulletins.pdf");
        Assert.Equal(HttpStatusCode.OK, own.StatusCode);
        Assert.True(own.Headers.CacheControl is { Private: true, NoStore: true });
    }

    [Fact]
    public async Task Chromium_loads_the_PDF_in_the_frame_of_its_file_page_without_a_policy_refusal()
    {
        await PushAsync("pdf-navigateur", isPrivate: false, repo => repo.WriteBytes("programme.pdf", Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n")));
        var (playwright, browser) = await Browser.Chromium.LaunchAsync();
        try
        {
            var page = await browser.NewPageAsync(new() { BaseURL = _server.BaseAddress.ToString(), Locale = "fr-FR" });
            var refusals = new List<string>();
            page.Console += (_, m) => { if (m.Text.Contains("Refused", StringComparison.Ordinal) || m.Text.Contains("Content Security Policy", StringComparison.Ordinal)) refusals.Add(m.Text); };
            var framed = new TaskCompletionSource<int>();
            page.Response += (_, r) => { if (r.Url.EndsWith("/raw/main/programme.pdf", StringComparison.Ordinal)) framed.TrySetResult(r.Status); };
            await page.GotoAsync("/alice/pdf-navigateur/blob/main/programme.pdf");
            Assert.Equal(200, await framed.Task.WaitAsync(TimeSpan.FromSeconds(20)));
            await page.WaitForTimeoutAsync(500); // a refusal is reported after the response
            Assert.True(refusals.Count == 0, string.Join("\n", refusals));
            Assert.Equal(1, await page.Locator("iframe.pdf-viewer[title='Document PDF programme.pdf']").CountAsync());
        }
        finally
        {
            await browser.DisposeAsync();
            playwright.Dispose();
        }
    }

    [Fact]
    public async Task An_SVG_with_a_script_is_shown_as_an_image_never_inline_and_its_raw_file_is_sandboxed()
    {
        const string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><script>alert('svg')</script><rect width=\"10\" height=\"10\"/></svg>";
        await PushAsync("figures", isPrivate: false, repo => repo.Write("schemas/graphe.svg", svg));
        using var anonymous = _server.Client();

        var page = await anonymous.GetStringAsync("/alice/figures/blob/main/schemas/graphe.svg");
        Assert.Contains("<img src=\"/alice/figures/raw/main/schemas/graphe.svg\" alt=\"Image graphe.svg du dépôt\">", page);
        Assert.DoesNotContain("<svg", page);
        Assert.DoesNotContain("alert('svg')", page);
        Assert.DoesNotContain("alert(&#x27;svg&#x27;)", page);

        var raw = await anonymous.GetAsync("/alice/figures/raw/main/schemas/graphe.svg");
        Assert.Equal(RawEndpointPolicy, RawHeaders(raw, "image/svg+xml", "DENY"));
        Assert.Equal(svg, await raw.Content.ReadAsStringAsync());
    }

    private const string RawEndpointPolicy = "default-src 'none'; style-src 'unsafe-inline'; sandbox";
}
