using System.Net.Http.Json;
using System.Text.Json;
using Forge.Core.Resources;
using Forge.Git;
using Forge.Jobs;
using Forge.Search;
using Forge.Tests.Support;
using Forge.Web;
using Forge.Web.Admin;
using Forge.Web.Data;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Search;

/// <summary>The generated catalogue is made of real, valid repositories that the real indexing path makes searchable.</summary>
public sealed class SeedTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    [Fact]
    public async Task A_seeded_catalogue_is_valid_and_searchable_by_facets()
    {
        var export = Path.Combine(_tmp.Path, "catalogue.jsonl");
        using (var scope = _server.Services.CreateScope())
        {
            var seeder = ActivatorUtilities.CreateInstance<CatalogueSeeder>(scope.ServiceProvider);
            var report = await seeder.SeedAsync(60, 6, seed: 7, programmesDir: null, exportPath: export, progress: null, CancellationToken.None);
            Assert.Equal(60, report.Repositories);
            Assert.Equal(360, report.Files);
            await scope.ServiceProvider.GetRequiredService<IndexRebuilder>()
                .RebuildAsync(_server.Services.GetRequiredService<ForgeSettings>().IndexPath, null, CancellationToken.None);
        }

        var rows = File.ReadLines(export).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var store = _server.Services.GetRequiredService<RepositoryStore>();
        var reader = new GitReader();
        foreach (var row in rows.Take(10))
        {
            var path = store.PathOf(row.GetProperty("id").GetInt64());
            var yaml = reader.ReadBlob(path, reader.BranchTip(path, "main")!, "resource.yml", 64 * 1024)!;
            var parsed = ResourceMetadataParser.Parse(System.Text.Encoding.UTF8.GetString(yaml.Bytes));
            // Only fields this parser may not know yet are reported; every vocabulary value is valid.
            Assert.All(parsed.Problems, p => Assert.StartsWith("Champ inconnu", p.Message));
            Assert.Equal(row.GetProperty("title").GetString(), parsed.Metadata.Title);
        }

        var index = _server.Services.GetRequiredService<LuceneResourceIndex>();
        await Wait.UntilAsync(() => Task.FromResult(index.CheckForNewGeneration() || index.IndexedStates().Count == 60), "the server took the rebuilt index");
        using var anonymous = _server.Client();
        var all = JsonDocument.Parse(await anonymous.GetStringAsync("/api/v1/search?limit=1")).RootElement;
        var publicCount = rows.Count(r => !r.GetProperty("private").GetBoolean());
        Assert.Equal(publicCount, all.GetProperty("total").GetInt32());
        var maths = rows.Count(r => !r.GetProperty("private").GetBoolean() && r.GetProperty("disciplines")[0].GetString() == "mathematiques");
        var facet = all.GetProperty("facets").GetProperty("discipline").EnumerateArray().FirstOrDefault(c => c.GetProperty("value").GetString() == "mathematiques");
        Assert.Equal(maths, facet.ValueKind == JsonValueKind.Undefined ? 0 : facet.GetProperty("count").GetInt32());
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }
}
