using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;

namespace Forge.Git;

/// <summary>The two smart-HTTP services Forge serves; nothing else is ever started from a URL.</summary>
public enum GitService { UploadPack, ReceivePack }

/// <summary>
/// Git's smart HTTP protocol (v0 and v2) served by running <c>git upload-pack</c> / <c>git receive-pack</c>
/// with <c>--stateless-rpc</c>, as <c>git http-backend</c>, Gitea and GitLab do. Bodies are streamed both ways.
/// </summary>
public sealed partial class SmartHttpTransport(GitCli git)
{
    /// <summary>Parses <c>git-upload-pack</c> / <c>git-receive-pack</c>; anything else is refused.</summary>
    public static bool TryParseService(string? name, out GitService service)
    {
        service = name switch
        {
            "git-upload-pack" => GitService.UploadPack,
            "git-receive-pack" => GitService.ReceivePack,
            _ => (GitService)(-1),
        };
        return (int)service >= 0;
    }

    public static string Name(GitService service) => service == GitService.UploadPack ? "git-upload-pack" : "git-receive-pack";

    public static string AdvertisementContentType(GitService s) => $"application/x-{Name(s)}-advertisement";
    public static string RequestContentType(GitService s) => $"application/x-{Name(s)}-request";
    public static string ResultContentType(GitService s) => $"application/x-{Name(s)}-result";

    [GeneratedRegex(@"^[A-Za-z0-9=._:-]{1,256}$", RegexOptions.CultureInvariant)]
    private static partial Regex ProtocolPattern();

    /// <summary>The <c>Git-Protocol</c> header value if it is well-formed (e.g. <c>version=2</c>), else null.</summary>
    public static string? SanitizeProtocol(string? header) =>
        header is not null && ProtocolPattern().IsMatch(header) ? header : null;

    private static bool IsV2(string? protocol) =>
        protocol is not null && protocol.Split(':').Contains("version=2");

    /// <summary>Writes the ref advertisement (<c>GET info/refs?service=...</c>).</summary>
    public async Task AdvertiseAsync(string repoPath, GitService service, string? protocol, Stream output, CancellationToken ct)
    {
        if (!IsV2(protocol) || service == GitService.ReceivePack)
        {
            await WritePacketAsync(output, $"# service={Name(service)}\n", ct);
            await output.WriteAsync("0000"u8.ToArray(), ct);
        }
        var result = await Command(service, protocol).Option("--stateless-rpc").Option("--advertise-refs").Value(repoPath)
            .StreamAsync(null, output, ct);
        result.EnsureSuccess();
    }

    /// <summary>
    /// Runs one RPC round (<c>POST git-upload-pack</c> / <c>git-receive-pack</c>), streaming both bodies. A push runs
    /// with Forge's pre-receive hook enforcing <paramref name="policy"/> (<see cref="ReceivePackPolicy.None"/> if null).
    /// </summary>
    public async Task<GitResult> RpcAsync(string repoPath, GitService service, string? protocol, Stream input, Stream output, CancellationToken ct,
        ReceivePackPolicy? policy = null)
    {
        var command = Command(service, protocol);
        using var check = service == GitService.ReceivePack ? (policy ?? ReceivePackPolicy.None).Apply(command, repoPath, git.ScratchPath) : null;
        if (check is not null) input = check.Watch(input);
        return await command.Option("--stateless-rpc").Value(repoPath).StreamAsync(input, output, ct);
    }

    private GitCommand Command(GitService service, string? protocol)
    {
        var command = git.Command(service == GitService.UploadPack ? "upload-pack" : "receive-pack");
        if (protocol is not null) command.Env("GIT_PROTOCOL", protocol);
        return command;
    }

    private static async Task WritePacketAsync(Stream output, string line, CancellationToken ct)
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        await output.WriteAsync(Encoding.ASCII.GetBytes((bytes.Length + 4).ToString("x4")), ct);
        await output.WriteAsync(bytes, ct);
    }

    /// <summary>
    /// Reads the command list at the start of a receive-pack request body (before git sees it), so policy can be
    /// applied first. Returns the updates and a stream that replays the consumed bytes followed by the rest.
    /// </summary>
    public static async Task<(IReadOnlyList<RefUpdate> Updates, Stream Body)> ReadReceivePackCommandsAsync(Stream body, CancellationToken ct)
    {
        const int maxCommands = 10_000;
        var consumed = new MemoryStream();
        var updates = new List<RefUpdate>();
        var header = new byte[4];
        while (updates.Count <= maxCommands)
        {
            if (!await ReadExactlyAsync(body, header, ct)) break;
            consumed.Write(header);
            var length = ParseLength(header);
            if (length == 0) break; // flush-pkt: end of the command list
            if (length < 4 || length > 65520) throw new InvalidDataException("bad pkt-line length in push");
            var payload = ArrayPool<byte>.Shared.Rent(length - 4);
            try
            {
                if (!await ReadExactlyAsync(body, payload.AsMemory(0, length - 4), ct)) throw new InvalidDataException("truncated push");
                consumed.Write(payload, 0, length - 4);
                var line = Encoding.UTF8.GetString(payload, 0, length - 4);
                var nul = line.IndexOf('\0');
                if (nul >= 0) line = line[..nul];
                line = line.TrimEnd('\n');
                if (line.StartsWith("shallow ", StringComparison.Ordinal)) continue;
                var parts = line.Split(' ');
                if (parts.Length != 3 || parts[0].Length != 40 || parts[1].Length != 40)
                    throw new InvalidDataException("bad command in push");
                updates.Add(new RefUpdate(parts[0], parts[1], parts[2]));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(payload);
            }
        }
        consumed.Position = 0;
        return (updates, new PrefixedStream(consumed, body));
    }

    private static int ParseLength(ReadOnlySpan<byte> header)
    {
        var value = 0;
        foreach (var b in header)
        {
            var digit = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
                _ => throw new InvalidDataException("bad pkt-line header"),
            };
            value = value * 16 + digit;
        }
        return value;
    }

    private static async Task<bool> ReadExactlyAsync(Stream s, Memory<byte> buffer, CancellationToken ct)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await s.ReadAsync(buffer[read..], ct);
            if (n == 0) return read == 0 ? false : throw new InvalidDataException("truncated pkt-line");
            read += n;
        }
        return true;
    }

    /// <summary>A read-only stream that returns a buffered prefix, then the rest of another stream.</summary>
    private sealed class PrefixedStream(MemoryStream prefix, Stream rest) : ForwardOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default)
        {
            var n = prefix.Read(buffer.Span);
            return n > 0 ? n : await rest.ReadAsync(buffer, ct);
        }
    }
}

/// <summary>
/// A stream read once from start to end (a request body on its way to git): subclasses give
/// <see cref="ReadAsync(Memory{byte}, CancellationToken)"/>, every other read goes through it and nothing else is supported.
/// </summary>
internal abstract class ForwardOnlyStream : Stream
{
    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public abstract override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken ct = default);
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();
    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken ct) => ReadAsync(buffer.AsMemory(offset, count), ct).AsTask();
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
