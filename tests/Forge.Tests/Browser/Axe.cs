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

    /// <summary>Goes to <paramref name="path"/> (when given), then returns the violations on the page, one line each, prefixed by the page.</summary>
    public static async Task<List<string>> ViolationsAsync(IPage page, string? path = null)
    {
        if (path is not null) await page.GotoAsync(path);
        // Evaluated through the DevTools protocol, so Forge's Content-Security-Policy does not block it.
        if (!await page.EvaluateAsync<bool>("() => typeof window.axe === 'object'")) await page.EvaluateAsync(Source.Value);
        var result = await page.EvaluateAsync<JsonElement>(Run);
        // A run that checked no rule would pass vacuously: make it fail loudly instead.
        if (result.GetProperty("rules").GetInt32() == 0) throw new InvalidOperationException($"axe-core checked no rule on {page.Url}");
        return result.GetProperty("violations").EnumerateArray().Select(v => $"{path ?? page.Url}: {v.GetString()}").ToList();
    }
}
