using System.Reflection;
using Forge.Core.Naming;
using Forge.Tests.Support;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Architecture;

public sealed class ArchitectureTests
{
    private static string[] ForgeReferences(Assembly a) =>
        a.GetReferencedAssemblies().Select(r => r.Name!).Where(n => n.StartsWith("Forge.", StringComparison.Ordinal)).Order().ToArray();

    [Fact]
    public void Project_references_point_one_way_web_jobs_then_git_search_core()
    {
        Assert.Empty(ForgeReferences(typeof(Forge.Git.GitReader).Assembly));
        Assert.Empty(ForgeReferences(typeof(Forge.Search.LuceneResourceIndex).Assembly));
        Assert.Empty(ForgeReferences(typeof(Forge.Core.Naming.NameRules).Assembly));
        Assert.DoesNotContain("Forge.Web", ForgeReferences(typeof(Forge.Jobs.IForgeJobs).Assembly));
        // The web project talks to Lucene and Hangfire only through Forge.Search and Forge.Jobs.
        var web = typeof(Forge.Web.ForgeApp).Assembly.GetReferencedAssemblies().Select(r => r.Name!).ToList();
        Assert.DoesNotContain(web, n => n.StartsWith("Lucene", StringComparison.Ordinal));
        Assert.DoesNotContain(web, n => n.StartsWith("LibGit2Sharp", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_first_route_segment_is_a_reserved_name()
    {
        using var tmp = new TempDir();
        await using var server = await ForgeServer.StartAsync(tmp.Sub("data"), workers: 0);
        var patterns = server.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => e.RoutePattern).ToList();
        Assert.NotEmpty(patterns);
        var literals = patterns
            .Where(p => p.PathSegments.Count > 0 && p.PathSegments[0].IsSimple && p.PathSegments[0].Parts[0].IsLiteral)
            .Select(p => ((Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart)p.PathSegments[0].Parts[0]).Content)
            .Distinct().ToList();
        Assert.Contains("search", literals);
        var missing = literals.Where(l => !NameRules.Reserved.Contains(l)).ToList();
        Assert.True(missing.Count == 0, "not reserved: " + string.Join(", ", missing));
    }
}
