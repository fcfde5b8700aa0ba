using Markdig;
using Xunit;
using System.Text;
using Forge.Git;
using Forge.Jobs;
using Forge.Tests.Support;

namespace Forge.Tests.Search;

/// <summary>
/// The indexer's bulk reads go straight to libgit2's object database: sizes and contents must be exactly git's, for
/// loose objects and for packed ones (deltas included), and a text reduced to words by the per-thread renderer must be
/// exactly Markdig's.
/// </summary>
public sealed class IndexReadsTests : IDisposable
{
    private readonly TempDir _dir = new("forge-index-reads");

    [Fact]
    public void The_fast_path_is_in_use_with_this_LibGit2Sharp()
    {
        // If a LibGit2Sharp upgrade hides the object database handle, indexing still works but slower: say so here.
        Assert.True(GitReader.FastObjectReads);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Sizes_and_contents_are_gits_for_loose_and_packed_objects(bool packed)
    {
        var work = new TestRepo(_dir.Sub(packed ? "packed" : "loose"));
        var lesson = string.Join('\n', Enumerable.Range(1, 400).Select(i => $"Ligne {i} du cours sur les tris : fusion, insertion, sélection."));
        work.Write("cours/tri.md", lesson)
            .Write("cours/vide.md", "")
            .Write("exercices/tri_fusion.py", "def tri_fusion(t):\n    return sorted(t)\n")
            .WriteBytes("images/logo.png", [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 13, 1, 2, 3])
            .Write("accentué et espacé.md", "# Élève\n");
        work.Commit("Premier jet");
        // A second version close to the first, so that a repack stores one of them as a delta.
        work.Write("cours/tri.md", lesson + "\nUne ligne de plus.");
        var head = work.Commit("Une ligne de plus");
        var bare = _dir.Sub((packed ? "packed" : "loose") + ".git");
        // A push of a few objects is unpacked into loose objects, as a teacher's small push is; a repack packs them.
        work.Git("init", "-q", "--bare", bare);
        work.Git("push", "-q", bare, "main");
        if (packed) work.Git("-C", bare, "repack", "-adq", "--depth=10");
        Assert.Equal(!packed, Directory.GetDirectories(Path.Combine(bare, "objects"), "??").Length > 0);

        var reader = new GitReader();
        var listed = reader.ListAndRead(bare, head, 100, f => f.Path.EndsWith(".md") ? 1000 : 100_000, 100);
        Assert.NotNull(listed);
        var (files, contents) = listed.Value;

        var expected = work.Git("ls-tree", "-r", "-l", "HEAD").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('\t')).Select(p => (Path: p[1], Size: long.Parse(p[0].Split(' ', StringSplitOptions.RemoveEmptyEntries)[3])))
            .OrderBy(p => p.Path, StringComparer.Ordinal).ToList();
        Assert.Equal(expected.Select(e => e.Path), files.Select(f => f.Path));
        Assert.Equal(expected.Select(e => e.Size), files.Select(f => f.Size));

        // Binary files are left out; a Markdown file is cut at its budget (1,000 bytes) and says so.
        Assert.DoesNotContain(contents, c => c.Path == "images/logo.png");
        var tri = Assert.Single(contents, c => c.Path == "cours/tri.md");
        Assert.True(tri.Truncated);
        Assert.Equal(1000, tri.Bytes.Length);
        Assert.Equal(Encoding.UTF8.GetBytes(lesson + "\nUne ligne de plus.")[..1000], tri.Bytes);
        var python = Assert.Single(contents, c => c.Path == "exercices/tri_fusion.py");
        Assert.False(python.Truncated);
        Assert.Equal("def tri_fusion(t):\n    return sorted(t)\n", Encoding.UTF8.GetString(python.Bytes));
        Assert.Empty(Assert.Single(contents, c => c.Path == "cours/vide.md").Bytes);
        // The same as LibGit2Sharp's reads of the same files.
        var slow = reader.ReadBlobs(bare, head, contents.Select(c => c.Path), 1000);
        Assert.Equal(slow.Select(c => (c.Path, c.Size, c.Truncated, Convert.ToHexString(c.Bytes), c.ObjectId)),
            contents.OrderBy(c => slow.ToList().FindIndex(s => s.Path == c.Path))
                .Select(c => (c.Path, c.Size, c.Truncated, Convert.ToHexString(c.Bytes), c.ObjectId)));
    }

    [Fact]
    public void Plain_text_of_many_files_in_a_row_is_markdigs()
    {
        var pipeline = new Markdig.MarkdownPipelineBuilder().UsePipeTables().UseTaskLists().Build();
        string[] pages =
        [
            "# Titre\n\nUn *paragraphe* avec du `code` et un [lien](https://example.org).\n",
            "- [x] fait\n- [ ] à faire\n\n> citation\n> sur deux lignes\n",
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n    bloc indenté\n\n1. un\n2. deux\n",
            "```python\ndef f():\n    return 1\n```\n\nFin sans saut de ligne",
            "",
            "Texte <b>HTML</b> &amp; entités\n\n---\n\n## Suite\n",
        ];
        // Twice over, so each page is rendered after another one by the same renderer.
        foreach (var page in pages.Concat(pages))
            Assert.Equal(Markdig.Markdown.ToPlainText(page, pipeline), RepositoryIndexer.PlainTextRenderer.Render(page));
    }

    public void Dispose() => _dir.Dispose();
}
