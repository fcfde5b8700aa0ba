using Forge.Tests.Support;
using Xunit;

namespace Forge.Tests.Search;

[CollectionDefinition(Name)]
public sealed class SearchCatalogueCollection : ICollectionFixture<SearchCatalogue>
{
    public const string Name = "search catalogue";
}

/// <summary>
/// A small real catalogue, pushed with the real git client to a real server and indexed by its jobs, shared by the
/// search and explore page tests (which only read it). Pushed one after the other, at least a second apart, so
/// « most recent » has one answer. A granule has its own title, type, grades, usage and duration, and inherits only
/// the repository's disciplines and licence:
/// <list type="table">
/// <item>alice/tri-insertion — NSI, 1re, classe, activité, 55 min, CC-BY-SA-4.0, programme item nsi-1re.algorithmique.tris,
///   exercises, for pupils; README says « algorithme »; a granule
///   <c>exercices/</c> (exercice, 20 min) whose own text does not</item>
/// <item>alice/graphes — NSI, tle, maison + autonomie, cours, 120 min, CC-BY-4.0; « algorithme de Dijkstra »</item>
/// <item>bob/reseaux-snt — SNT, 2nde, classe + maison, activité, 25 min, CC-BY-4.0; « algorithme de routage »</item>
/// <item>bob/fractions — mathématiques, cm1 + cm2, classe, exercice, 45 min, CC0-1.0, exercises; HTML in its description</item>
/// <item>carol/tri-secret — PRIVATE: NSI, 1re, classe, activité, 50 min, CC-BY-SA-4.0, nsi-1re.algorithmique.tris,
///   exercises, for pupils; « algorithme », « zoulou »</item>
/// <item>alice/tri-fusion — NSI, 1re + tle, maison, tp, 90 min, CC-BY-SA-4.0, nsi-tle.algorithmique.diviser-pour-regner,
///   no exercises, for pupils and teachers; « algorithme »; a Python file</item>
/// <item>alice/probabilites — mathématiques, tle, 22 granules <c>ex01</c>…<c>ex22</c>: 23 resources about « probabilités »</item>
/// </list>
/// </summary>
public sealed class SearchCatalogue : IAsyncLifetime
{
    public const string Password = "motdepasse-solide";
    public const int PublicResources = 29;
    private readonly TempDir _tmp = new();

    public ForgeServer Server { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Server = await ForgeServer.StartAsync(_tmp.Sub("data"));
        var git = new GitClient(_tmp.Sub("home"));
        var tokens = new Dictionary<string, string>();
        foreach (var user in new[] { "alice", "bob", "carol" }) tokens[user] = (await Server.CreateUserAsync(user, Password)).Token;

        async Task PushAsync(string owner, string name, bool isPrivate, Action<TestRepo> write)
        {
            await Server.CreateRepositoryAsync(tokens[owner], name, isPrivate);
            var repo = new TestRepo(_tmp.Sub($"work-{owner}-{name}"));
            write(repo);
            repo.Commit("Première version");
            await git.MustAsync(repo.Path, (owner, tokens[owner]), "push", "-q", Server.Url($"/{owner}/{name}.git"), "main");
            await Task.Delay(1100); // « updated » is kept to the second
        }

        await PushAsync("alice", "tri-insertion", false, r => r
            .Write("resource.yml", Yaml("Tri par insertion", "nsi", "[1re]", "[classe]", "activite", 55, "CC-BY-SA-4.0", "[tri, insertion]",
                "programme: [nsi-1re.algorithmique.tris]\nhas_exercises: true\naudience: [eleve]\n"))
            .Write("README.md", "# Tri par insertion\n\nLes élèves découvrent l’algorithme du tri par insertion avec des cartes.\n")
            .Write("exercices/resource.yml", "title: Exercices de tri par insertion\ntype: exercice\nduration_minutes: 20\n")
            .Write("exercices/README.md", "# Exercices\n\nSix exercices corrigés, à faire sur papier.\n"));
        await PushAsync("alice", "graphes", false, r => r
            .Write("resource.yml", Yaml("Parcours de graphes", "nsi", "[tle]", "[maison, autonomie]", "cours", 120, "CC-BY-4.0", "[graphes]"))
            .Write("README.md", "# Graphes\n\nParcours en largeur, en profondeur, et l’algorithme de Dijkstra.\n"));
        await PushAsync("bob", "reseaux-snt", false, r => r
            .Write("resource.yml", Yaml("Internet et réseaux", "snt", "[2nde]", "[classe, maison]", "activite", 25, "CC-BY-4.0", "[internet]"))
            .Write("README.md", "# Réseaux\n\nLes protocoles d’internet et un algorithme de routage.\n"));
        await PushAsync("bob", "fractions", false, r => r
            .Write("resource.yml", Yaml("Fractions au cycle 3", "mathematiques", "[cm1, cm2]", "[classe]", "exercice", 45, "CC0-1.0", "[fractions]",
                "has_exercises: true\ndescription: \"Partager <img src=x onerror=alert(1)> des gâteaux <script>alert(2)</script>\"\n"))
            .Write("README.md", "# Fractions\n\nPartager des gâteaux en parts égales.\n"));
        await PushAsync("carol", "tri-secret", true, r => r
            .Write("resource.yml", Yaml("Tri de carol", "nsi", "[1re]", "[classe]", "activite", 50, "CC-BY-SA-4.0", "[tri]",
                "programme: [nsi-1re.algorithmique.tris]\nhas_exercises: true\naudience: [eleve]\n"))
            .Write("README.md", "# Brouillon\n\nUn algorithme de tri, version zoulou, pas encore partagé.\n"));
        await PushAsync("alice", "tri-fusion", false, r => r
            .Write("resource.yml", Yaml("Tri fusion", "nsi", "[1re, tle]", "[maison]", "tp", 90, "CC-BY-SA-4.0", "[tri, fusion]",
                "programme: [nsi-tle.algorithmique.diviser-pour-regner]\nhas_exercises: false\naudience: [eleve, enseignant]\n"))
            .Write("README.md", "# Tri fusion\n\nUn algorithme « diviser pour régner ».\n")
            .Write("fusion.py", "def tri_fusion(t):\n    if len(t) < 2:\n        return t\n    milieu = len(t) // 2\n    return fusionner(tri_fusion(t[:milieu]), tri_fusion(t[milieu:]))\n"));
        await PushAsync("alice", "probabilites", false, r =>
        {
            r.Write("resource.yml", Yaml("Banque d’exercices de probabilités", "mathematiques", "[tle]", "[classe]", "exercice", 30, "CC-BY-4.0", "[probabilités]"))
             .Write("README.md", "# Probabilités\n\nExercices de probabilités pour la terminale.\n");
            for (var i = 1; i <= 22; i++)
                r.Write($"ex{i:00}/resource.yml", $"title: Exercice de probabilités n° {i}\n")
                 .Write($"ex{i:00}/README.md", $"# Exercice {i}\n\nCalculer des probabilités conditionnelles.\n");
        });

        // Everyone's resources indexed (carol's private one is checked as carol), then the catalogue is still.
        using var anonymous = Server.Client();
        await Wait.UntilAsync(async () => (await SearchView.LoadAsync(anonymous, "/search")).Total == PublicResources, "every public resource indexed", 90);
        using var carol = await SignInAsync("carol");
        await Wait.UntilAsync(async () => (await SearchView.LoadAsync(carol.Http, "/search?q=zoulou")).Total == 1, "carol's private resource indexed", 60);
    }

    private static string Yaml(string title, string discipline, string grades, string usage, string type, int minutes, string licence, string keywords,
        string more = "") =>
        $"title: {title}\ndisciplines: [{discipline}]\ngrades: {grades}\nusage: {usage}\ntype: {type}\nduration_minutes: {minutes}\nlicence: {licence}\nkeywords: {keywords}\n{more}";

    public async Task<WebSession> SignInAsync(string user)
    {
        var session = new WebSession(Server);
        await session.SignInAsync(user, Password);
        return session;
    }

    public async Task DisposeAsync()
    {
        await Server.DisposeAsync();
        _tmp.Dispose();
    }
}
