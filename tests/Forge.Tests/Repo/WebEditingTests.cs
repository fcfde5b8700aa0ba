using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Repo;

/// <summary>A teacher who does not use git edits her course in the browser; nothing is ever overwritten silently.</summary>
public sealed partial class WebEditingTests : IAsyncLifetime
{
    private readonly TempDir _tmp = new();
    private ForgeServer _server = null!;
    private WebSession _alice = null!;
    private GitClient _git = null!;
    private string _token = null!;
    private TestRepo _work = null!;

    [GeneratedRegex("name=\"Form.ExpectedTip\" value=\"([0-9a-f]{40})\"")]
    private static partial Regex ExpectedTipPattern();

    public async Task InitializeAsync()
    {
        _server = await ForgeServer.StartAsync(_tmp.Sub("data"), workers: 0);
        (_, _token) = await _server.CreateUserAsync("alice");
        await _server.CreateUserAsync("bob");
        await _server.CreateRepositoryAsync(_token, "cours");
        _git = new GitClient(_tmp.Sub("home"));
        _work = new TestRepo(_tmp.Sub("work"));
        _work.Write("README.md", "# Cours\n").Write("cours/chapitre-1.md", "# Chapitre 1\n\nTexte.\n");
        _work.Commit("Première version");
        await _git.MustAsync(_work.Path, ("alice", _token), "push", "-q", _server.Url("/alice/cours.git"), "main");
        _alice = new WebSession(_server);
        await _alice.SignInAsync("alice", "motdepasse-solide");
    }

    public async Task DisposeAsync()
    {
        _alice.Dispose();
        await _server.DisposeAsync();
        _tmp.Dispose();
    }

    private async Task<string> RawAsync(string path)
    {
        using var client = _server.Client();
        var response = await client.GetAsync(path);
        return response.StatusCode == HttpStatusCode.OK ? await response.Content.ReadAsStringAsync() : $"<{(int)response.StatusCode}>";
    }

    private async Task<HttpResponseMessage> SubmitAsync(WebSession session, string page, Dictionary<string, string> fields, bool keepTip = true)
    {
        var (token, html) = await session.FormAsync(page);
        var all = new Dictionary<string, string>(fields) { ["__csrf"] = token };
        if (keepTip && !all.ContainsKey("Form.ExpectedTip")) all["Form.ExpectedTip"] = ExpectedTipPattern().Match(html).Groups[1].Value;
        return await session.Http.PostAsync(page, new FormUrlEncodedContent(all));
    }

    [Fact]
    public async Task A_file_is_created_edited_renamed_and_deleted_each_as_one_commit()
    {
        var created = await SubmitAsync(_alice, "/alice/cours/new/main/cours", new()
        {
            ["Form.FilePath"] = "cours/chapitre-2.md", ["Form.Content"] = "# Chapitre 2\r\n\r\nLes boucles.\r\n", ["Form.Message"] = "",
        });
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Equal("/alice/cours/blob/main/cours/chapitre-2.md", created.Headers.Location!.ToString());
        Assert.Equal("# Chapitre 2\n\nLes boucles.\n", await RawAsync("/alice/cours/raw/main/cours/chapitre-2.md")); // textarea CRLF normalised
        Assert.Contains("Ajout de cours/chapitre-2.md", await _alice.GetAsync("/alice/cours/commits/main"));

        var edited = await SubmitAsync(_alice, "/alice/cours/edit/main/cours/chapitre-2.md", new()
        {
            ["Form.FilePath"] = "cours/boucles.md", ["Form.Content"] = "# Les boucles\n\nfor et while.\n", ["Form.Message"] = "Chapitre 2 renommé",
        });
        Assert.Equal(HttpStatusCode.Redirect, edited.StatusCode);
        Assert.Equal("# Les boucles\n\nfor et while.\n", await RawAsync("/alice/cours/raw/main/cours/boucles.md"));
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/cours/chapitre-2.md"));
        var history = await _alice.GetAsync("/alice/cours/commits/main");
        Assert.Contains("Chapitre 2 renommé", history);

        var deleted = await SubmitAsync(_alice, "/alice/cours/delete/main/cours/boucles.md", new() { ["Form.Message"] = "" });
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/cours/boucles.md"));

        // The web commits are real git commits: a clone sees them, authored by alice.
        var clone = Path.Combine(_tmp.Path, "clone");
        await _git.MustAsync(_tmp.Path, null, "clone", "-q", _server.Url("/alice/cours.git"), clone);
        var log = await _git.MustAsync(clone, null, "log", "--format=%an|%s");
        Assert.Contains("alice|Suppression de cours/boucles.md", log);
        Assert.Contains("alice|Chapitre 2 renommé", log);
        Assert.Equal(4, log.Trim().Split('\n').Length);
    }

    [Fact]
    public async Task A_concurrent_change_refuses_the_save_explains_why_and_keeps_the_text()
    {
        var (token, html) = await _alice.FormAsync("/alice/cours/edit/main/README.md");
        var tip = ExpectedTipPattern().Match(html).Groups[1].Value;

        // Meanwhile a colleague pushes.
        _work.Write("README.md", "# Cours (version du collègue)\n");
        _work.Commit("Modification concurrente");
        await _git.MustAsync(_work.Path, ("alice", _token), "push", "-q", _server.Url("/alice/cours.git"), "main");

        var response = await _alice.Http.PostAsync("/alice/cours/edit/main/README.md", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token, ["Form.ExpectedTip"] = tip, ["Form.FilePath"] = "README.md", ["Form.Content"] = "# Mon long travail de la soirée\n",
        }));
        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        var page = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("a été modifiée depuis que vous avez ouvert cette page", page);
        Assert.Contains("# Mon long travail de la soirée", page); // her text is still in the form
        Assert.Equal("# Cours (version du collègue)\n", await RawAsync("/alice/cours/raw/main/README.md"));
    }

    [Fact]
    public async Task A_change_can_go_to_a_new_branch_and_branches_and_tags_are_managed_from_the_web()
    {
        var response = await SubmitAsync(_alice, "/alice/cours/edit/main/README.md", new()
        {
            ["Form.FilePath"] = "README.md", ["Form.Content"] = "# Cours proposé\n", ["Form.Target"] = "new", ["Form.NewBranch"] = "proposition/titre",
        });
        Assert.Equal("/alice/cours/blob/proposition/titre/README.md", response.Headers.Location!.ToString());
        Assert.Equal("# Cours\n", await RawAsync("/alice/cours/raw/main/README.md"));
        Assert.Equal("# Cours proposé\n", await RawAsync("/alice/cours/raw/proposition/titre/README.md"));

        var bad = await SubmitAsync(_alice, "/alice/cours/edit/main/README.md", new()
        {
            ["Form.FilePath"] = "README.md", ["Form.Content"] = "x", ["Form.Target"] = "new", ["Form.NewBranch"] = "mauvais nom..",
        });
        Assert.Contains("nom de branche valide", WebUtility.HtmlDecode(await bad.Content.ReadAsStringAsync()));

        var created = await SubmitAsync(_alice, "/alice/cours/branches?handler=Create", new() { ["NewName"] = "brouillon", ["From"] = "main" }, keepTip: false);
        Assert.Equal(HttpStatusCode.Redirect, created.StatusCode);
        Assert.Contains(">brouillon</a>", await _alice.GetAsync("/alice/cours/branches"));
        var duplicate = await SubmitAsync(_alice, "/alice/cours/branches?handler=Create", new() { ["NewName"] = "brouillon", ["From"] = "main" }, keepTip: false);
        Assert.Contains("existe déjà", WebUtility.HtmlDecode(await duplicate.Content.ReadAsStringAsync()));
        var deleted = await SubmitAsync(_alice, "/alice/cours/branches?handler=Delete", new() { ["name"] = "brouillon" }, keepTip: false);
        Assert.Equal(HttpStatusCode.Redirect, deleted.StatusCode);
        Assert.DoesNotContain(">brouillon</a>", await _alice.GetAsync("/alice/cours/branches"));
        var main = await SubmitAsync(_alice, "/alice/cours/branches?handler=Delete", new() { ["name"] = "main" }, keepTip: false);
        Assert.Contains("La branche par défaut ne peut pas être supprimée", WebUtility.HtmlDecode(await main.Content.ReadAsStringAsync()));

        var tag = await SubmitAsync(_alice, "/alice/cours/tags?handler=Create", new() { ["NewName"] = "2026-2027", ["From"] = "main", ["Message"] = "Version de la rentrée" }, keepTip: false);
        Assert.Equal(HttpStatusCode.Redirect, tag.StatusCode);
        Assert.Contains("Version de la rentrée", await _alice.GetAsync("/alice/cours/tags"));
        var ls = await _git.MustAsync(_work.Path, null, "ls-remote", "--tags", _server.Url("/alice/cours.git"));
        Assert.Contains("refs/tags/2026-2027", ls);
        await SubmitAsync(_alice, "/alice/cours/tags?handler=Delete", new() { ["name"] = "2026-2027" }, keepTip: false);
        Assert.DoesNotContain("refs/tags/2026-2027", await _git.MustAsync(_work.Path, null, "ls-remote", "--tags", _server.Url("/alice/cours.git")));
    }

    [Fact]
    public async Task Several_files_are_uploaded_in_one_commit_byte_for_byte()
    {
        var (token, html) = await _alice.FormAsync("/alice/cours/upload/main/cours");
        var tip = ExpectedTipPattern().Match(html).Groups[1].Value;
        using var form = new MultipartFormDataContent
        {
            { new StringContent(token), "__csrf" }, { new StringContent(tip), "Form.ExpectedTip" },
            { new StringContent("cours/ressources"), "Form.Directory" }, { new StringContent("branch"), "Form.Target" },
        };
        var image = new ByteArrayContent(Courses.Png);
        image.Headers.ContentType = new MediaTypeHeaderValue("image/png");
        form.Add(image, "Form.Files", "schéma.png");
        form.Add(new ByteArrayContent("print('bonjour')\n"u8.ToArray()), "Form.Files", "bonjour.py");
        var response = await _alice.Http.PostAsync("/alice/cours/upload/main/cours", form);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        using var client = _server.Client();
        Assert.Equal(Courses.Png, await client.GetByteArrayAsync("/alice/cours/raw/main/cours/ressources/sch%C3%A9ma.png"));
        Assert.Equal("print('bonjour')\n", await RawAsync("/alice/cours/raw/main/cours/ressources/bonjour.py"));
        Assert.Contains("Ajout de 2 fichiers dans cours/ressources", await _alice.GetAsync("/alice/cours/commits/main"));
    }

    [Theory]
    [InlineData("../evasion.md")]
    [InlineData(".git/config")]
    [InlineData("cours/.GIT/hooks/pre-receive")]
    [InlineData("README.md/dessous.md")]
    [InlineData("cours")]
    public async Task Invalid_paths_are_refused_with_an_explanation_and_nothing_is_committed(string path)
    {
        var before = await _git.MustAsync(_work.Path, null, "ls-remote", _server.Url("/alice/cours.git"));
        var response = await SubmitAsync(_alice, "/alice/cours/new/main", new() { ["Form.FilePath"] = path, ["Form.Content"] = "x" });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("role=\"alert\"", html);
        Assert.Contains("href=\"#Form_FilePath\"", html);
        Assert.Equal(before, await _git.MustAsync(_work.Path, null, "ls-remote", _server.Url("/alice/cours.git")));
    }

    [Fact]
    public async Task Only_writers_may_edit_and_every_form_needs_its_anti_forgery_token()
    {
        using var anonymous = _server.Client();
        var redirect = await anonymous.GetAsync("/alice/cours/edit/main/README.md");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        Assert.StartsWith("/user/login", redirect.Headers.Location!.PathAndQuery);

        using var bob = new WebSession(_server);
        await bob.SignInAsync("bob", "motdepasse-solide");
        Assert.Equal(HttpStatusCode.Forbidden, (await bob.Http.GetAsync("/alice/cours/edit/main/README.md")).StatusCode);
        Assert.DoesNotContain("/alice/cours/edit/", await bob.GetAsync("/alice/cours/blob/main/README.md"));
        var (token, _) = await bob.FormAsync("/alice/cours/branches");
        var post = await bob.Http.PostAsync("/alice/cours/edit/main/README.md", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__csrf"] = token, ["Form.FilePath"] = "README.md", ["Form.Content"] = "vandalisme", ["Form.ExpectedTip"] = new string('0', 40),
        }));
        Assert.Equal(HttpStatusCode.Forbidden, post.StatusCode);

        var noToken = await _alice.Http.PostAsync("/alice/cours/new/main", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Form.FilePath"] = "csrf.md", ["Form.Content"] = "x",
        }));
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Equal("# Cours\n", await RawAsync("/alice/cours/raw/main/README.md"));
        Assert.Equal("<404>", await RawAsync("/alice/cours/raw/main/csrf.md"));
    }

    [Fact]
    public async Task Web_edits_obey_branch_protection_like_pushes()
    {
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(_server.Services))
        {
            var db = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<Forge.Web.Data.ForgeDbContext>(scope.ServiceProvider);
            var repo = db.Repositories.Single(r => r.LowerName == "cours");
            db.ProtectedBranches.Add(new Forge.Web.Data.ProtectedBranch { RepositoryId = repo.Id, Pattern = "main", PushLevel = Forge.Web.Data.PushLevel.Nobody });
            await db.SaveChangesAsync();
        }
        var response = await SubmitAsync(_alice, "/alice/cours/edit/main/README.md", new() { ["Form.FilePath"] = "README.md", ["Form.Content"] = "# Modifié\n" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var html = WebUtility.HtmlDecode(await response.Content.ReadAsStringAsync());
        Assert.Contains("est protégée", html);
        Assert.Contains("# Modifié", html); // the text is kept
        Assert.Equal("# Cours\n", await RawAsync("/alice/cours/raw/main/README.md"));

        // The same change on a new branch is fine.
        var proposal = await SubmitAsync(_alice, "/alice/cours/edit/main/README.md", new()
        {
            ["Form.FilePath"] = "README.md", ["Form.Content"] = "# Modifié\n", ["Form.Target"] = "new", ["Form.NewBranch"] = "proposition",
        });
        Assert.Equal(HttpStatusCode.Redirect, proposal.StatusCode);
    }
}
