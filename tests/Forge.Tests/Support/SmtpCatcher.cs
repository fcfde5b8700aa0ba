using System.Buffers;
using System.Net;
using System.Text.RegularExpressions;
using System.Threading.Channels;
using MimeKit;
using SmtpServer;
using SmtpServer.Protocol;
using SmtpServer.Storage;

namespace Forge.Tests.Support;

/// <summary>
/// A real SMTP server (the SmtpServer package) on a free loopback port that keeps what it receives, so tests read the
/// e-mails Forge really sent over SMTP through MailKit.
/// </summary>
public sealed partial class SmtpCatcher : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly Channel<MimeMessage> _inbox = Channel.CreateUnbounded<MimeMessage>();
    private readonly List<MimeMessage> _all = [];
    private readonly Task _running;

    public int Port { get; }

    public SmtpCatcher()
    {
        Port = PostgresServer.FreePort();
        var options = new SmtpServerOptionsBuilder().ServerName("localhost")
            .Endpoint(b => b.Endpoint(new IPEndPoint(IPAddress.Loopback, Port)).Port(Port)).Build();
        var services = new SmtpServer.ComponentModel.ServiceProvider();
        services.Add(new Store(this));
        _running = new SmtpServer.SmtpServer(options, services).StartAsync(_stop.Token);
    }

    /// <summary>Arguments that point a <see cref="ForgeServer"/> at this catcher.</summary>
    public string[] ForgeArgs => ["--Forge:Smtp:Host", "127.0.0.1", "--Forge:Smtp:Port", Port.ToString(), "--Forge:Smtp:Tls", "none",
        "--Forge:Smtp:From", "Forge <forge@ac-test.fr>"];

    /// <summary>Every message received so far.</summary>
    public IReadOnlyList<MimeMessage> All { get { lock (_all) return _all.ToList(); } }

    /// <summary>The next message for <paramref name="to"/> (fails after 30 s).</summary>
    public async Task<MimeMessage> NextForAsync(string to)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var message = await _inbox.Reader.ReadAsync(timeout.Token);
            if (message.To.Mailboxes.Any(m => string.Equals(m.Address, to, StringComparison.OrdinalIgnoreCase))) return message;
        }
    }

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex LinkPattern();

    /// <summary>The first link of the plain-text body, as a path and query (relative to the server).</summary>
    public static string LinkIn(MimeMessage message)
    {
        var url = new Uri(LinkPattern().Match(message.TextBody ?? "").Value);
        return url.PathAndQuery;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try { await _running; } catch (OperationCanceledException) { }
        _stop.Dispose();
    }

    private sealed class Store(SmtpCatcher owner) : MessageStore
    {
        public override Task<SmtpResponse> SaveAsync(ISessionContext context, IMessageTransaction transaction, ReadOnlySequence<byte> buffer,
            CancellationToken cancellationToken)
        {
            using var stream = new MemoryStream(buffer.ToArray());
            var message = MimeMessage.Load(stream);
            lock (owner._all) owner._all.Add(message);
            owner._inbox.Writer.TryWrite(message);
            return Task.FromResult(SmtpResponse.Ok);
        }
    }
}
