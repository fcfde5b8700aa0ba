using System.Threading.Channels;

namespace Forge.Web.Mail;

/// <summary>
/// E-mail that leaves after the answer: pages and API calls put messages here and return at once, so a slow SMTP server
/// never holds them up. One background sender delivers them in the order they were queued (a reader gets the mention
/// of the first issue before the second one's), one connection at a time. A failure is logged and the next message
/// goes on; messages still queued at shutdown get a few seconds to leave.
/// </summary>
public sealed class MailQueue(IMailSender sender, ILogger<MailQueue> log) : BackgroundService
{
    /// <summary>Beyond this many waiting messages, new ones are dropped with a warning rather than filling memory.</summary>
    public const int Capacity = 10_000;

    private readonly Channel<MailMessage> _queue = Channel.CreateBounded<MailMessage>(
        new BoundedChannelOptions(Capacity) { SingleReader = true, FullMode = BoundedChannelFullMode.DropWrite });

    /// <summary>False when the instance sends no e-mail (<c>Forge:Smtp:Host</c> empty): nothing is queued.</summary>
    public bool IsEnabled => sender.IsEnabled;

    /// <summary>
    /// Queues the messages in this order. False when the instance sends no e-mail: the sender then only logs them and
    /// keeps them in the administrator's <see cref="MailOutbox"/>.
    /// </summary>
    public bool Enqueue(params IEnumerable<MailMessage> messages)
    {
        if (!sender.IsEnabled)
        {
            foreach (var m in messages) _ = sender.SendAsync(m);
            return false;
        }
        foreach (var m in messages)
            if (!_queue.Writer.TryWrite(m)) log.LogWarning("Mail queue full: e-mail to {To} dropped ({Subject})", m.To, m.Subject);
        return true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var m in _queue.Reader.ReadAllAsync(stoppingToken))
                await SendAsync(m, CancellationToken.None);
        }
        catch (OperationCanceledException) { }
        // Shutting down: what is left gets a short grace period.
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        while (!grace.IsCancellationRequested && _queue.Reader.TryRead(out var left))
            await SendAsync(left, grace.Token);
    }

    private async Task SendAsync(MailMessage m, CancellationToken ct)
    {
        try { await sender.SendAsync(m, ct); }
        catch (Exception e) { log.LogWarning(e, "E-mail to {To} not sent ({Subject})", m.To, m.Subject); }
    }
}
