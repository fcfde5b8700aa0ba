using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Forge.Web.Data;

/// <summary>
/// <c>PRAGMA synchronous=NORMAL</c> on every SQLite connection Forge opens (the setting is per connection). The database
/// is in WAL mode, where NORMAL is SQLite's recommended setting: a commit no longer waits for the disk (fsync) and the
/// database stays consistent through any crash of Forge; only a power cut or an operating system crash may lose the
/// last commits, never corrupt the file. With the default (FULL), each write request waited for one fsync per
/// transaction — several milliseconds of a git push on a virtual machine's disk.
/// </summary>
public sealed class SqliteSynchronousNormal : DbConnectionInterceptor
{
    private const string Pragma = "PRAGMA synchronous=NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragma;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
