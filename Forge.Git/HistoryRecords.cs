namespace Forge.Git;

public enum FileChangeKind { Added, Deleted, Modified, Renamed, Copied, TypeChanged }

public enum DiffLineKind { Context, Added, Deleted, Note }

/// <summary>One line of a diff hunk, with its numbers in the old and new file.</summary>
public sealed record DiffLine(DiffLineKind Kind, int? OldLine, int? NewLine, string Text);

public sealed record DiffHunk(string Header, IReadOnlyList<DiffLine> Lines);

/// <summary>The changes of one file. <see cref="Truncated"/> when the diff was cut to its budget.</summary>
public sealed record FileDiff(string Path, string? OldPath, FileChangeKind Kind, int Additions, int Deletions, bool IsBinary,
    IReadOnlyList<DiffHunk> Hunks, bool Truncated)
{
    /// <summary>Content left out for this viewer (a teacher-only file): the file is listed, its changes are not.</summary>
    public bool Withheld { get; init; }
}

/// <summary>Changes between two trees, within budgets. <see cref="TotalFiles"/> counts every changed file, shown or not.</summary>
public sealed record DiffResult(IReadOnlyList<FileDiff> Files, int TotalFiles, int Additions, int Deletions, bool Truncated);

/// <summary>A commit with its parents and its changes against its first parent.</summary>
public sealed record CommitDetail(CommitInfo Commit, IReadOnlyList<string> Parents, DiffResult Diff);

/// <summary>Limits on the work one diff may cost; beyond them files or lines are cut and marked truncated.</summary>
public sealed record DiffBudget(int MaxFiles = 300, int MaxLinesPerFile = 3000, int MaxTotalLines = 20_000, int MaxLineLength = 2000)
{
    public static readonly DiffBudget Default = new();
}

public sealed record BranchInfo(string Name, CommitInfo Tip, bool IsDefault);

public sealed record TagInfo(string Name, CommitInfo Target, string? Message, bool IsAnnotated);

/// <summary>A run of consecutive lines last changed by the same commit.</summary>
public sealed record BlameHunk(CommitInfo Commit, int StartLine, IReadOnlyList<string> Lines);

/// <summary>One page of history; <see cref="HasMore"/> when a next page exists.</summary>
public sealed record HistoryPage(IReadOnlyList<CommitInfo> Commits, bool HasMore);

/// <summary>Base, head and what head adds: commits not in base, and the diff from their merge base.</summary>
public sealed record Comparison(string BaseSha, string HeadSha, string? MergeBaseSha, IReadOnlyList<CommitInfo> Commits, bool CommitsTruncated, DiffResult Diff);
