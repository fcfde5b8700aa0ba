using Hangfire.Logging;
using Microsoft.Extensions.Logging;
using HangfireLevel = Hangfire.Logging.LogLevel;
using MsLevel = Microsoft.Extensions.Logging.LogLevel;

namespace Forge.Jobs;

/// <summary>
/// Hangfire keeps loggers in static fields, created once per process from a global provider. Forwarding every
/// call to the logger factory of the newest Forge host keeps logs flowing when hosts are started and disposed
/// (tests, restarts) instead of writing to a disposed factory.
/// </summary>
internal sealed class ForwardingLogProvider : ILogProvider
{
    public static readonly ForwardingLogProvider Instance = new();
    private static volatile ILoggerFactory? _current;

    public static void Use(ILoggerFactory factory) => _current = factory;

    public ILog GetLogger(string name) => new ForwardingLog(name);

    private sealed class ForwardingLog(string name) : ILog
    {
        public bool Log(HangfireLevel logLevel, Func<string>? messageFunc, Exception? exception = null)
        {
            var factory = _current;
            if (factory is null) return false;
            Microsoft.Extensions.Logging.ILogger logger;
            try
            {
                logger = factory.CreateLogger(name);
            }
            catch (ObjectDisposedException)
            {
                return false;
            }
            var level = logLevel switch
            {
                HangfireLevel.Trace => MsLevel.Trace,
                HangfireLevel.Debug => MsLevel.Debug,
                HangfireLevel.Info => MsLevel.Information,
                HangfireLevel.Warn => MsLevel.Warning,
                HangfireLevel.Error => MsLevel.Error,
                _ => MsLevel.Critical,
            };
            if (messageFunc is null) return logger.IsEnabled(level);
            if (!logger.IsEnabled(level)) return false;
#pragma warning disable CA2254 // Hangfire hands over a finished message.
            logger.Log(level, exception, messageFunc());
#pragma warning restore CA2254
            return true;
        }
    }
}
