using System.Text.Json;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.Memory;
using SixLabors.ImageSharp.Processing;

namespace Forge.Jobs.Images;

/// <summary>
/// The only code that decodes images, meant to run in a child process (<c>Forge.Web.dll forge-image …</c>) started by
/// <see cref="ThumbnailJob"/>, never inside the server. A hostile file (decompression bomb, malformed header, endless
/// frames) can then at worst make this short-lived process fail: its managed heap is capped by the parent
/// (<c>DOTNET_GCHeapHardLimit</c>), ImageSharp's own allocations are capped here, and the parent kills it after a
/// few seconds. Before any pixel is decoded, the header alone is read and the image refused when too large.
/// </summary>
public static class ImageWorker
{
    public const string Command = "forge-image";

    /// <summary>Largest image decoded: 40 megapixels (a 7,700 × 5,200 photo), 16,384 pixels on a side.</summary>
    public const long MaxPixels = 40_000_000;
    public const int MaxSide = 16_384;
    private const int AllocationLimitMegabytes = 384;

    public const int ExitOk = 0;
    public const int ExitUsage = 2;
    public const int ExitRefused = 3;
    public const int ExitInvalid = 4;

    /// <summary>
    /// <c>forge-image INPUT OUTPUT_PREFIX WIDTH[,WIDTH…]</c>: writes <c>OUTPUT_PREFIX-{w}.webp</c> for each width smaller
    /// than the image, then <c>OUTPUT_PREFIX.json</c> (<see cref="ThumbnailInfo"/>) last, so its presence means done.
    /// </summary>
    public static int Run(string[] args)
    {
        if (args.Length != 3 || !File.Exists(args[0])) return ExitUsage;
        var widths = args[2].Split(',').Select(w => int.TryParse(w, out var v) ? v : 0).Where(w => w is > 0 and <= 4096).Distinct().Order().ToList();
        var configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        configuration.MemoryAllocator = MemoryAllocator.Create(new MemoryAllocatorOptions
        {
            AllocationLimitMegabytes = AllocationLimitMegabytes,
            MaximumPoolSizeMegabytes = 0,
        });
        try
        {
            using (var header = File.OpenRead(args[0]))
            {
                var info = Image.Identify(configuration, header, out var format);
                if (info is null || format is null) return ExitInvalid;
                if (info.Width <= 0 || info.Height <= 0 || info.Width > MaxSide || info.Height > MaxSide || (long)info.Width * info.Height > MaxPixels)
                    return ExitRefused;
            }
            using var image = Image.Load(configuration, args[0]);
            // Only the first frame of an animation is kept.
            while (image.Frames.Count > 1) image.Frames.RemoveFrame(image.Frames.Count - 1);
            image.Mutate(x => x.AutoOrient());
            var made = new List<int>();
            foreach (var w in widths.Where(w => w < image.Width))
            {
                using var copy = image.Clone(x => x.Resize(new ResizeOptions { Size = new Size(w, 0), Sampler = KnownResamplers.Lanczos3 }));
                copy.Metadata.ExifProfile = null;
                copy.Metadata.XmpProfile = null;
                copy.Metadata.IptcProfile = null;
                var target = $"{args[1]}-{w}.webp";
                copy.Save(target + ".tmp", new WebpEncoder { Quality = 75, FileFormat = WebpFileFormatType.Lossy, Method = WebpEncodingMethod.Default });
                File.Move(target + ".tmp", target, overwrite: true);
                made.Add(w);
            }
            var json = JsonSerializer.Serialize(new ThumbnailInfo(image.Width, image.Height, made));
            File.WriteAllText(args[1] + ".json.tmp", json);
            File.Move(args[1] + ".json.tmp", args[1] + ".json", overwrite: true);
            return ExitOk;
        }
        catch (Exception e) when (e is UnknownImageFormatException or InvalidImageContentException or ImageFormatException or NotSupportedException)
        {
            return ExitInvalid;
        }
        catch (Exception e) when (e is InvalidMemoryOperationException or OutOfMemoryException)
        {
            return ExitRefused;
        }
    }
}

/// <summary>What is known of an image after its thumbnails were made: its size (after orientation) and the widths made.</summary>
public sealed record ThumbnailInfo(int Width, int Height, IReadOnlyList<int> Widths);
