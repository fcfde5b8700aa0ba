using Forge.Web;
using Forge.Web.Admin;

// Image decoding runs in a child process of the server: see Forge.Jobs.Images.ImageWorker.
if (args.Length > 0 && args[0] == Forge.Jobs.Images.ImageWorker.Command)
    return Forge.Jobs.Images.ImageWorker.Run(args[1..]);

if (args.Length > 0 && args[0] == "admin")
    return await AdminCli.RunAsync(args[1..]);

var app = ForgeApp.Build(args);
await ForgeApp.MigrateAsync(app.Services);
await app.RunAsync();
return 0;

/// <summary>Entry point; public so tests can reference the assembly's startup type.</summary>
public partial class Program;
