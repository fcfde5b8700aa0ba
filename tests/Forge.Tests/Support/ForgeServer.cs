using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Forge.Web;
using Forge.Web.Auth;
using Forge.Web.Data;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Forge.Tests.Support;

/// <summary>
/// The real Forge application on real Kestrel, on a free loopback port, with its own data folder (SQLite file,
/// bare repositories, Lucene index, Hangfire storage). Can be stopped and started again on the same data.
/// </summary>
public sealed class ForgeServer : IAsyncDisposable
{
    private readonly List<string> _extraArgs;
    private WebApplication? _app;

    private ForgeServer(string dataPath, List<string> extraArgs)
    {
        DataPath = dataPath;
        _extraArgs = extraArgs;
    }

    public string DataPath { get; }
    public Uri BaseAddress { get; private set; } = null!;
    public IServiceProvider Services => _app?.Services ?? throw new InvalidOperationException("not started");

    /// <summary>Starts a server on <paramref name="dataPath"/>. <paramref name="workers"/> = 0 runs no job worker.</summary>
    public static async Task<ForgeServer> StartAsync(string dataPath, int workers = 1, params string[] extraArgs)
    {
        var server = new ForgeServer(dataPath, [.. extraArgs, "--jobs:workers", workers.ToString()]);
        await server.StartAsync();
        return server;
    }

    private async Task StartAsync()
    {
        TestKeys.Seed(DataPath);
        _app = ForgeApp.Build([
            "--urls", "http://127.0.0.1:0", "--data", DataPath, "--environment", "Production",
            "--Logging:LogLevel:Default", "Warning", "--Logging:LogLevel:Forge", "Warning", .. _extraArgs,
        ]);
        await ForgeApp.MigrateAsync(_app.Services);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1"));
    }

    /// <summary>Stops the process-level server and starts a new one on the same data folder.</summary>
    public async Task RestartAsync(int workers = 1)
    {
        await StopAsync();
        _extraArgs[_extraArgs.IndexOf("--jobs:workers") + 1] = workers.ToString();
        await StartAsync();
    }

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    public string Url(string path) => new Uri(BaseAddress, path).ToString();

    /// <summary>A client that does not follow redirects and keeps no cookies unless asked.</summary>
    public HttpClient Client(string? token = null, bool cookies = false)
    {
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = cookies, CookieContainer = new CookieContainer() };
        var client = new HttpClient(handler) { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        if (token is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("token", token);
        return client;
    }

    /// <summary>Creates an account directly (as <c>forge admin user create</c> does) and a token for it.</summary>
    public async Task<(ForgeUser User, string Token)> CreateUserAsync(string name, string password = "motdepasse-solide", bool admin = false)
    {
        using var scope = Services.CreateScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<ForgeUser>>();
        var user = new ForgeUser { UserName = name, Email = $"{name}@ac-lyon.fr", EmailConfirmed = true, IsAdmin = admin };
        var result = await users.CreateAsync(user, password);
        if (!result.Succeeded) throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        var (_, secret) = await scope.ServiceProvider.GetRequiredService<AccessTokenService>().CreateAsync(user.Id, "tests");
        return (user, secret);
    }

    /// <summary>Creates a repository through the public API, as a script would.</summary>
    public async Task<JsonElement> CreateRepositoryAsync(string token, string name, bool isPrivate = false, string? description = null)
    {
        using var client = Client(token);
        var response = await client.PostAsJsonAsync("/api/v1/user/repos", new { name, description, @private = isPrivate });
        var body = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.Created) throw new InvalidOperationException($"{response.StatusCode}: {body}");
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
