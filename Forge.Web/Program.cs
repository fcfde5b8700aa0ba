using Forge.Web;
using Forge.Web.Admin;

if (args.Length > 0 && args[0] == "admin")
    return await AdminCli.RunAsync(args[1..]);

var app = ForgeApp.Build(args);
await ForgeApp.MigrateAsync(app.Services);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can reference the assembly's startup type.</summary>
public partial class Program;
