using System.Text.Json;
using Deque.AxeCore.Commons;
using Microsoft.Playwright;

namespace Forge.Tests.Browser;

/// <summary>
/// axe-core (the copy shipped in Deque.AxeCore.Commons) run inside the page with the WCAG 2.1 A and AA rules.
/// Only the violations cross back to .NET, as short lines: Deque's RunAxe returns every pass and inapplicable rule
/// with all their nodes, which costed ~1 s of serialisation per page and made the accessibility tests a third of the suite.
/// </summary>
public static class Axe
{
    private static readonly Lazy<string> Source = new(() =>
    {
        using var stream = typeof(AxeResult).Assembly.GetManifestResourceStream("Deque.AxeCore.Commons.Resources.axe.min.js")
            ?? throw new InvalidOperationException("axe.min.js is missing from Deque.AxeCore.Commons");
        return new StreamReader(stream).ReadToEnd();
    });

    private const string Run = """
        async () => {
          const r = await axe.run(document, {
            runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
            resultTypes: ['violations'],
          });
          return {
            rules: r.passes.length + r.violations.length + r.incomplete.length,
            violations: r.violations.map(v => `${v.id} (${v.impact}) ${v.help} — ${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | ')}`),
          };
        }
        """;

    /// <summary>
    /// Goes to <paramref name="path"/> (when given), then returns the violations on the page, one line each, prefixed by the page.
    /// A page that did not answer 2xx, or a navigation that landed elsewhere (the login page for a page that needs a session),
    /// is a problem too: axe would pass an error page or the login form and hide that the page asked for was never checked.
    /// A test that means to check an error page says which status it expects with <paramref name="expectStatus"/>.
    /// </summary>
    public static async Task<List<string>> ViolationsAsync(IPage page, string? path = null, int? expectStatus = null)
    {
        var problems = new List<string>();
        var label = path ?? page.Url;
        if (path is not null)
        {
            var response = await page.GotoAsync(path);
            var asked = new Uri(new Uri(page.Url), path).AbsolutePath;
            var landed = new Uri(page.Url).AbsolutePath;
            if (!string.Equals(Uri.UnescapeDataString(asked), Uri.UnescapeDataString(landed), StringComparison.Ordinal))
                problems.Add($"{label}: landed on {landed} instead of the page asked for");
            if (response is null) problems.Add($"{label}: no response");
            else CheckStatus(response.Status);
        }
        else
        {
            // The page was reached by the test (a form posted, a link followed): the navigation timing entry has its status.
            var status = await page.EvaluateAsync<int>("() => performance.getEntriesByType('navigation')[0]?.responseStatus ?? 0");
            if (status != 0) CheckStatus(status); // 0: content set by the test itself, no HTTP response
        }
        // Evaluated through the DevTools protocol, so Forge's Content-Security-Policy does not block it.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(Source.Value);
        var result = await page.EvaluateAsync<JsonElement>(Run);
        // A run that checked no rule would pass vacuously: make it fail loudly instead.
        if (result.GetProperty("rules").GetInt32() == 0) throw new InvalidOperationException($"axe-core checked no rule on {page.Url}");
        problems.AddRange(result.GetProperty("violations").EnumerateArray().Select(v => $"{label}: {v.GetString()}"));
        return problems;

        void CheckStatus(int status)
        {
            if (expectStatus is { } expected ? status != expected : status is < 200 or > 299)
                problems.Add($"{label}: HTTP {status}, expected {(expectStatus is { } e ? e.ToString() : "2xx")}");
        }
    }
}
