using System.Collections.Concurrent;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Forge.Web.Mail;

/// <summary>An e-mail to one person: plain text always, HTML optionally (then sent as multipart/alternative).</summary>
public sealed record MailMessage(string To, string Subject, string Text, string? Html = null);

/// <summary>Sends e-mail. When SMTP is not configured, messages go to the log and to the <see cref="MailOutbox"/> instead.</summary>
public interface IMailSender
{
    /// <summary>False when no SMTP server is configured: pages then say that no e-mail will be sent.</summary>
    bool IsEnabled { get; }
    Task SendAsync(MailMessage message, CancellationToken ct = default);
}

/// <summary><c>Forge:Smtp:Host/Port/User/Password/From/Tls</c>; off while <see cref="Host"/> is empty.</summary>
public sealed record SmtpOptions
{
    public string? Host { get; init; }
    public int Port { get; init; } = 587;
    public string? User { get; init; }
    public string? Password { get; init; }
    public string From { get; init; } = "Forge <forge@localhost>";
    /// <summary><c>auto</c> (STARTTLS when offered), <c>starttls</c> (required), <c>ssl</c> (TLS from the start) or <c>none</c>.</summary>
    public string Tls { get; init; } = "auto";

    public static SmtpOptions Read(IConfiguration config)
    {
        var s = config.GetSection("Forge:Smtp");
        return new SmtpOptions
        {
            Host = string.IsNullOrWhiteSpace(s["Host"]) ? null : s["Host"]!.Trim(),
            Port = int.TryParse(s["Port"], out var port) && port is > 0 and < 65536 ? port : 587,
            User = string.IsNullOrWhiteSpace(s["User"]) ? null : s["User"],
            Password = s["Password"],
            From = string.IsNullOrWhiteSpace(s["From"]) ? "Forge <forge@localhost>" : s["From"]!,
            Tls = (s["Tls"] ?? "auto").Trim().ToLowerInvariant(),
        };
    }
}

/// <summary>The last messages that were not sent because SMTP is off (kept in memory: recipient, subject, date).</summary>
public sealed class MailOutbox
{
    public const int Capacity = 100;
    private readonly ConcurrentQueue<(DateTime At, string To, string Subject)> _messages = new();

    public void Add(MailMessage m)
    {
        _messages.Enqueue((DateTime.UtcNow, m.To, m.Subject));
        while (_messages.Count > Capacity) _messages.TryDequeue(out _);
    }

    public IReadOnlyList<(DateTime At, string To, string Subject)> Latest() => _messages.Reverse().ToList();
}

public sealed class SmtpMailSender(SmtpOptions options, MailOutbox outbox, ILogger<SmtpMailSender> log) : IMailSender
{
    public bool IsEnabled => options.Host is not null;

    public async Task SendAsync(MailMessage message, CancellationToken ct = default)
    {
        if (!IsEnabled)
        {
            outbox.Add(message);
            log.LogWarning("SMTP is not configured (Forge:Smtp:Host): e-mail to {To} not sent. Subject: {Subject}\n{Text}", message.To, message.Subject, message.Text);
            return;
        }
        var mime = new MimeMessage();
        mime.From.Add(MailboxAddress.Parse(options.From));
        mime.To.Add(MailboxAddress.Parse(message.To));
        mime.Subject = message.Subject;
        var body = new BodyBuilder { TextBody = message.Text, HtmlBody = message.Html };
        mime.Body = body.ToMessageBody();
        using var client = new SmtpClient { Timeout = 30_000 };
        var tls = options.Tls switch
        {
            "none" => SecureSocketOptions.None,
            "starttls" => SecureSocketOptions.StartTls,
            "ssl" => SecureSocketOptions.SslOnConnect,
            _ => SecureSocketOptions.StartTlsWhenAvailable,
        };
        await client.ConnectAsync(options.Host!, options.Port, tls, ct);
        if (options.User is not null) await client.AuthenticateAsync(options.User, options.Password ?? "", ct);
        await client.SendAsync(mime, ct);
        await client.DisconnectAsync(quit: true, ct);
    }
}
