using Forge.Tests.Support;
using Forge.Web.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Xunit;

namespace Forge.Tests.Admin;

/// <summary>The embedded databases (Forge's and the jobs') run in WAL mode with synchronous=NORMAL on every connection Forge opens.</summary>
public sealed class SqliteDatabaseTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;

    public async Task InitializeAsync() => _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);

    [Fact]
    public async Task Every_connection_is_in_wal_mode_with_normal_synchronous_writes()
    {
        // Two scopes: the pooled context's connection is opened again for each use, and each open gets the setting.
        for (var i = 0; i < 2; i++)
        {
            using var scope = _server.Services.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<ForgeDbContext>();
            await db.Database.OpenConnectionAsync();
            try
            {
                Assert.Equal("wal", await Scalar(db, "PRAGMA journal_mode;"));
                Assert.Equal("1", await Scalar(db, "PRAGMA synchronous;")); // 1 = NORMAL (FULL is 2)
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    [Fact]
    public void The_job_database_is_in_wal_mode_with_normal_synchronous_writes()
    {
        // Hangfire's SQLite storage opens its own connections (a pool of them): each must get the setting too, or every
        // queue poll of every worker waits for the disk.
        var storage = Assert.IsType<Hangfire.Storage.SQLite.SQLiteStorage>(_server.Services.GetRequiredService<Hangfire.JobStorage>());
        var contexts = Enumerable.Range(0, 2).Select(_ => storage.CreateAndOpenConnection()).ToList();
        try
        {
            foreach (var context in contexts)
            {
                Assert.Equal("wal", context.Database.ExecuteScalar<string>("PRAGMA journal_mode;"));
                Assert.Equal(1, context.Database.ExecuteScalar<int>("PRAGMA synchronous;"));
            }
        }
        finally
        {
            foreach (var context in contexts) context.Dispose();
        }
    }

    private static async Task<string?> Scalar(ForgeDbContext db, string sql)
    {
        await using var command = db.Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        return (await command.ExecuteScalarAsync())?.ToString();
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        _tmp.Dispose();
    }
}
