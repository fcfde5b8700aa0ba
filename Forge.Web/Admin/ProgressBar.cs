namespace Forge.Web.Admin;

/// <summary>
/// Progress of a long operator command. On a terminal: one line redrawn in place (a bar, the count, the rate);
/// elsewhere (a log, a pipe): a plain line every 10 % or every 5 seconds, so logs stay readable.
/// </summary>
public sealed class ProgressBar(TextWriter output, bool interactive, string unit, string label = "Réindexation")
{
    private const int Width = 30;
    private int _lastPercent = -1;
    private TimeSpan? _lastLine;
    private bool _drawn;

    public void Report(int done, int total, TimeSpan elapsed)
    {
        var percent = total == 0 ? 100 : (int)(100L * done / total);
        var rate = elapsed.TotalSeconds > 0 ? done / elapsed.TotalSeconds : 0;
        if (interactive)
        {
            var filled = total == 0 ? Width : (int)((long)Width * done / total);
            output.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {percent,3} % {done}/{total} {unit} ({rate:0} /s)  ");
            _drawn = true;
            return;
        }
        if (done != total && percent / 10 == _lastPercent / 10 && _lastLine is { } last && elapsed - last < TimeSpan.FromSeconds(5)) return;
        _lastPercent = percent;
        _lastLine = elapsed;
        output.WriteLine($"{label} : {done}/{total} {unit} ({percent} %, {rate:0} /s)");
    }

    /// <summary>Ends the redrawn line before anything else is printed.</summary>
    public void Finish()
    {
        if (_drawn) output.WriteLine();
        _drawn = false;
    }
}
