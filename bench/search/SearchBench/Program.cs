// Search benchmark: Forge's Lucene index against PostgreSQL full-text search (french configuration, unaccent, GIN
// index, facet counts with GROUP BY) on the same catalogue. Run by bench/search/run.sh; writes a Markdown report.
//
//   SearchBench --index DATA/index --export catalogue.jsonl --pg "Host=…" --queries judged-queries.yml --out part.md [--rounds 5]
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Forge.Search;
using Npgsql;
using NpgsqlTypes;
using YamlDotNet.Serialization;
using YamlDotNet.Serialization.NamingConventions;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
var options = new Dictionary<string, string>();
for (var i = 0; i + 1 < args.Length; i += 2) options[args[i].TrimStart('-')] = args[i + 1];
string Need(string key) => options.TryGetValue(key, out var v) ? v : throw new ArgumentException($"--{key} is required");
var rounds = int.Parse(options.GetValueOrDefault("rounds", "5"));

var catalogue = File.ReadLines(Need("export")).Select(l => JsonSerializer.Deserialize<Row>(l, new JsonSerializerOptions { PropertyNameCaseInsensitive = true })!).ToList();
var topicOf = catalogue.ToDictionary(r => $"{r.Owner}/{r.Name}", r => r.Topic);
var judged = new DeserializerBuilder().WithNamingConvention(UnderscoredNamingConvention.Instance).Build()
    .Deserialize<List<JudgedQuery>>(File.ReadAllText(Need("queries")));
var report = new StringBuilder();

// ---------- PostgreSQL: load, tsvector, GIN ----------
await using var pg = NpgsqlDataSource.Create(Need("pg"));
var pgLoad = Stopwatch.StartNew();
await using (var c = await pg.OpenConnectionAsync())
{
    await Exec(c, """
        CREATE EXTENSION IF NOT EXISTS unaccent;
        DROP TABLE IF EXISTS resources;
        CREATE TABLE resources (id bigint PRIMARY KEY, key text NOT NULL, private boolean NOT NULL, title text, description text, body text,
          topic text, disciplines text[], grades text[], cycles text[], usage text[], types text[], licence text, duration_range text,
          updated bigint, tsv tsvector);
        """);
    await using (var copy = await c.BeginBinaryImportAsync(
        "COPY resources (id, key, private, title, description, body, topic, disciplines, grades, cycles, usage, types, licence, duration_range, updated) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var r in catalogue)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(r.Id, NpgsqlDbType.Bigint);
            await copy.WriteAsync($"{r.Owner}/{r.Name}", NpgsqlDbType.Text);
            await copy.WriteAsync(r.Private, NpgsqlDbType.Boolean);
            await copy.WriteAsync(r.Title, NpgsqlDbType.Text);
            await copy.WriteAsync(r.Description, NpgsqlDbType.Text);
            await copy.WriteAsync(r.Body, NpgsqlDbType.Text);
            await copy.WriteAsync(r.Topic, NpgsqlDbType.Text);
            foreach (var list in new[] { r.Disciplines, r.Grades, r.Cycles, r.Usage, r.Types })
                await copy.WriteAsync(list, NpgsqlDbType.Array | NpgsqlDbType.Text);
            await copy.WriteAsync(r.Licence, NpgsqlDbType.Text);
            await copy.WriteAsync(Facets.DurationRanges.First(d => r.Duration >= d.Min && r.Duration < d.Max).Code, NpgsqlDbType.Text);
            await copy.WriteAsync(r.Updated, NpgsqlDbType.Bigint);
        }
        await copy.CompleteAsync();
    }
    await Exec(c, """
        UPDATE resources SET tsv = setweight(to_tsvector('french', unaccent(coalesce(title, ''))), 'A')
          || setweight(to_tsvector('french', unaccent(coalesce(description, ''))), 'B')
          || setweight(to_tsvector('french', unaccent(coalesce(body, ''))), 'D');
        CREATE INDEX resources_tsv ON resources USING GIN (tsv);
        CREATE INDEX resources_disciplines ON resources USING GIN (disciplines);
        CREATE INDEX resources_grades ON resources USING GIN (grades);
        """);
    await Exec(c, "VACUUM ANALYZE resources");
}
pgLoad.Stop();

// ---------- the queries ----------
var browse = new List<JudgedQuery>
{
    new() { Query = "" },
    new() { Query = "", Filters = new() { ["discipline"] = ["nsi"] } },
    new() { Query = "", Filters = new() { ["discipline"] = ["nsi"], ["grade"] = ["tle"] } },
    new() { Query = "", Filters = new() { ["grade"] = ["2nde"], ["usage"] = ["maison"] } },
    new() { Query = "", Filters = new() { ["type"] = ["exercice"], ["duration"] = ["lt30"] } },
    new() { Query = "", Filters = new() { ["discipline"] = ["mathematiques"], ["grade"] = ["3e", "4e"] } },
    new() { Query = "", Filters = new() { ["licence"] = ["CC-BY-4.0"], ["type"] = ["cours"] } },
    new() { Query = "", Filters = new() { ["cycle"] = ["4"], ["usage"] = ["classe"] } },
    new() { Query = "exercices", Filters = new() { ["discipline"] = ["nsi", "snt"] } },
    new() { Query = "cours", Filters = new() { ["grade"] = ["1re", "tle"], ["type"] = ["cours", "activite"] } },
};
var latencySet = judged.Concat(browse).ToList();

using var index = new LuceneResourceIndex(Need("index"));
SearchResults Lucene(JudgedQuery q, int size) => index.Search(new SearchRequest(q.Query, [], 1, size)
{
    Filters = (q.Filters ?? []).ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value),
});

// Warm up both engines, then measure rounds.
await using var conn = await pg.OpenConnectionAsync();
foreach (var q in latencySet) { Lucene(q, 20); await Postgres(conn, q, 20); }
var luceneTimes = new List<double>();
var pgTimes = new List<double>();
var perQuery = latencySet.ToDictionary(q => q, _ => (Lucene: new List<double>(), Pg: new List<double>()));
for (var round = 0; round < rounds; round++)
{
    foreach (var q in latencySet)
    {
        var sw = Stopwatch.StartNew();
        Lucene(q, 20);
        luceneTimes.Add(sw.Elapsed.TotalMilliseconds);
        perQuery[q].Lucene.Add(sw.Elapsed.TotalMilliseconds);
        sw.Restart();
        await Postgres(conn, q, 20);
        pgTimes.Add(sw.Elapsed.TotalMilliseconds);
        perQuery[q].Pg.Add(sw.Elapsed.TotalMilliseconds);
    }
}

// Relevance on the judged set.
var rows = new List<(JudgedQuery Q, double LuceneRr, double LuceneP5, double PgRr, double PgP5, string? Note)>();
foreach (var q in judged)
{
    var lucene = Lucene(q, 10);
    var luceneKeys = lucene.Hits.Select(h => $"{h.Owner}/{h.Name}").ToList();
    var pgKeys = (await Postgres(conn, q, 10)).Keys;
    rows.Add((q, Rr(luceneKeys, q), P5(luceneKeys, q), Rr(pgKeys, q), P5(pgKeys, q), lucene.SpellingNote));
}

report.AppendLine($"Catalogue: {catalogue.Count:N0} resources ({catalogue.Count(r => r.Private):N0} private), searched anonymously (public only).");
report.AppendLine();
report.AppendLine("| | Forge (Lucene) | PostgreSQL FTS |");
report.AppendLine("|---|---|---|");
report.AppendLine($"| faceted query p50 | {Percentile(luceneTimes, 50):0.0} ms | {Percentile(pgTimes, 50):0.0} ms |");
report.AppendLine($"| faceted query p99 | {Percentile(luceneTimes, 99):0.0} ms | {Percentile(pgTimes, 99):0.0} ms |");
report.AppendLine($"| faceted query max | {luceneTimes.Max():0.0} ms | {pgTimes.Max():0.0} ms |");
report.AppendLine($"| MRR@10 ({judged.Count} judged queries) | {rows.Average(r => r.LuceneRr):0.000} | {rows.Average(r => r.PgRr):0.000} |");
report.AppendLine($"| precision@5 | {rows.Average(r => r.LuceneP5):0.000} | {rows.Average(r => r.PgP5):0.000} |");
report.AppendLine($"| PostgreSQL load + tsvector + GIN | | {pgLoad.Elapsed.TotalSeconds:0.0} s ({catalogue.Count / pgLoad.Elapsed.TotalSeconds:0} resources/s, text already extracted) |");
report.AppendLine();
report.AppendLine($"Latency: {latencySet.Count} queries ({judged.Count} judged text queries, {browse.Count} facet browsing queries) × {rounds} rounds after a warm-up, "
    + "each returning the first 20 hits with the total and the counts of every facet (multi-select semantics on both sides: a facet's counts "
    + "leave out its own filter). Forge: in-process `IResourceSearch.Search` (hits, snippets, facets). PostgreSQL: one round trip with three "
    + "statements (hits ranked by `ts_rank_cd`, total, facet counts by `GROUP BY` over a materialised match set).");
report.AppendLine();
report.AppendLine("| query | kind | Forge RR | Forge P@5 | PG RR | PG P@5 | Forge spelling | Forge ms (median) | PG ms (median) |");
report.AppendLine("|---|---|---|---|---|---|---|---|---|");
foreach (var r in rows)
    report.AppendLine($"| {Describe(r.Q)} | {r.Q.Kind} | {r.LuceneRr:0.00} | {r.LuceneP5:0.0} | {r.PgRr:0.00} | {r.PgP5:0.0} | {r.Note} "
        + $"| {Percentile(perQuery[r.Q].Lucene, 50):0.0} | {Percentile(perQuery[r.Q].Pg, 50):0.0} |");
foreach (var kind in rows.GroupBy(r => r.Q.Kind))
    report.AppendLine($"| *{kind.Key} ({kind.Count()})* | | {kind.Average(r => r.LuceneRr):0.00} | {kind.Average(r => r.LuceneP5):0.00} | {kind.Average(r => r.PgRr):0.00} | {kind.Average(r => r.PgP5):0.00} | | | |");
foreach (var q in browse)
    report.AppendLine($"| {Describe(q)} | browse | | | | | | {Percentile(perQuery[q].Lucene, 50):0.0} | {Percentile(perQuery[q].Pg, 50):0.0} |");
File.WriteAllText(Need("out"), report.ToString());
Console.WriteLine(report);
return 0;

double Rr(List<string> keys, JudgedQuery q)
{
    for (var i = 0; i < keys.Count; i++)
        if (q.Relevant.Contains(topicOf.GetValueOrDefault(keys[i]) ?? "")) return 1.0 / (i + 1);
    return 0;
}

static string Describe(JudgedQuery q) =>
    (q.Query.Length > 0 ? q.Query : "(no text)") + (q.Filters is { Count: > 0 } f ? " (" + string.Join(", ", f.Select(kv => $"{kv.Key}={string.Join(" or ", kv.Value)}")) + ")" : "");

double P5(List<string> keys, JudgedQuery q) => keys.Take(5).Count(k => q.Relevant.Contains(topicOf.GetValueOrDefault(k) ?? "")) / 5.0;

static double Percentile(List<double> values, int p)
{
    var sorted = values.Order().ToList();
    return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p / 100.0 * sorted.Count) - 1)];
}

static async Task Exec(NpgsqlConnection c, string sql)
{
    await using var cmd = new NpgsqlCommand(sql, c) { CommandTimeout = 3600 };
    await cmd.ExecuteNonQueryAsync();
}

// Hits, total and facet counts in one round trip, with the same semantics as Forge.
static async Task<(List<string> Keys, long Total)> Postgres(NpgsqlConnection c, JudgedQuery q, int size)
{
    var columns = new Dictionary<string, (string Column, bool Array)>
    {
        ["discipline"] = ("disciplines", true), ["grade"] = ("grades", true), ["cycle"] = ("cycles", true), ["usage"] = ("usage", true),
        ["type"] = ("types", true), ["licence"] = ("licence", false), ["duration"] = ("duration_range", false),
    };
    var filters = (q.Filters ?? []).Where(kv => columns.ContainsKey(kv.Key)).ToList();
    string Where(string? except) => string.Concat(filters.Where(kv => kv.Key != except).Select(kv =>
        columns[kv.Key].Array ? $" AND {columns[kv.Key].Column} && @{kv.Key}" : $" AND {columns[kv.Key].Column} = ANY(@{kv.Key})"));
    var text = string.IsNullOrWhiteSpace(q.Query) ? "" : " AND tsv @@ plainto_tsquery('french', unaccent(@q))";
    var rank = text.Length > 0 ? "ts_rank_cd(tsv, plainto_tsquery('french', unaccent(@q))) DESC, " : "";
    var facetSql = string.Join("\nUNION ALL\n", columns.Select(kv => kv.Value.Array
        ? $"SELECT '{kv.Key}', v, count(*) FROM m, unnest({kv.Value.Column}) v WHERE true{Where(kv.Key)} GROUP BY v"
        : $"SELECT '{kv.Key}', {kv.Value.Column}, count(*) FROM m WHERE true{Where(kv.Key)} GROUP BY {kv.Value.Column}"));
    await using var batch = new NpgsqlBatch(c);
    batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT key FROM resources WHERE NOT private{text}{Where(null)} ORDER BY {rank}updated DESC LIMIT {size}"));
    batch.BatchCommands.Add(new NpgsqlBatchCommand($"SELECT count(*) FROM resources WHERE NOT private{text}{Where(null)}"));
    batch.BatchCommands.Add(new NpgsqlBatchCommand(
        $"WITH m AS MATERIALIZED (SELECT disciplines, grades, cycles, usage, types, licence, duration_range FROM resources WHERE NOT private{text})\n{facetSql}"));
    foreach (var cmd in batch.BatchCommands.Cast<NpgsqlBatchCommand>())
    {
        if (text.Length > 0) cmd.Parameters.AddWithValue("q", q.Query);
        foreach (var (key, values) in filters) cmd.Parameters.AddWithValue(key, values.ToArray());
    }
    await using var reader = await batch.ExecuteReaderAsync();
    var keys = new List<string>();
    while (await reader.ReadAsync()) keys.Add(reader.GetString(0));
    await reader.NextResultAsync();
    await reader.ReadAsync();
    var total = reader.GetInt64(0);
    await reader.NextResultAsync();
    while (await reader.ReadAsync()) { }
    return (keys, total);
}

sealed class Row
{
    public long Id { get; set; }
    public string Owner { get; set; } = "";
    public string Name { get; set; } = "";
    public bool Private { get; set; }
    public string Title { get; set; } = "";
    public string Description { get; set; } = "";
    public string Body { get; set; } = "";
    public string Topic { get; set; } = "";
    public string[] Disciplines { get; set; } = [];
    public string[] Grades { get; set; } = [];
    public string[] Cycles { get; set; } = [];
    public string[] Usage { get; set; } = [];
    public string[] Types { get; set; } = [];
    public string Licence { get; set; } = "";
    public int Duration { get; set; }
    public long Updated { get; set; }
}

sealed class JudgedQuery
{
    public string Query { get; set; } = "";
    public List<string> Relevant { get; set; } = [];
    public Dictionary<string, List<string>>? Filters { get; set; }
    public string Kind { get; set; } = "browse";
}
