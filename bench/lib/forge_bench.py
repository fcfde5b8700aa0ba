#!/usr/bin/env python3
"""Forge side of the benchmark: the parts that the shared anchor harness does not do.

Subcommands (all standard library; the URL building reuses the shared benchlib.py)
  repos      names of the repositories to import into Forge (from $BENCH_DATA/repos.tsv)
  wait-idle  wait until Forge's background jobs are done and its process is idle
  check      one GET per Forge page: status, content type, size, and whether the content is right
             (raw bytes equal to git's, listed names present, ...); writes JSON
  warmup     short wrk load on each Forge page that answered 200 (JIT tier-up before measuring)
  merge-git  one target's git timings from several alternated rounds, merged into one file in benchlib's shape
  summary    Forge vs the anchors, one table per repository, prepended to the shared report

Every URL is checked to be on the loopback interface before it is requested.
"""
import argparse
import html
import json
import os
import re
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request

SHARED = os.environ.get("BENCH_SHARED", "/work/shared/bench")
sys.path.insert(0, os.path.join(SHARED, "lib"))
import benchlib  # noqa: E402  (shared, read-only: read_tsv, fill, select, require_loopback, ...)

log = benchlib.log


def selected_repos(repos_tsv, only):
    return benchlib.select(benchlib.read_tsv(repos_tsv), "name", only)


def page_urls(a):
    """[(repo_row, page_row, url)] for the forge column, like benchlib's pages pass 1."""
    out = []
    pages = benchlib.select(benchlib.read_tsv(a.pages), "page", a.only_pages)
    for repo in selected_repos(a.repos, a.only_repos):
        fields = benchlib.repo_fields(repo, a.repo_prefix)
        for page in pages:
            tmpl = page.get(a.column, "")
            if not tmpl or tmpl == "-":
                continue
            url = a.base.rstrip("/") + benchlib.fill(tmpl, fields)
            benchlib.require_loopback(url)
            out.append((repo, page, url))
    return out


# ------------------------------------------------------------------ repos
def cmd_repos(a):
    for r in selected_repos(a.repos, a.only_repos):
        print("\t".join([r["name"], r["branch"], r["commit"]]))


# ------------------------------------------------------------------ wait-idle
def proc_cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is field 3 (state); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pending_jobs(jobs_db):
    """Jobs not finished yet, from Hangfire's SQLite storage (best effort; None if unreadable)."""
    if not jobs_db or not os.path.exists(jobs_db):
        return None
    try:
        con = sqlite3.connect(f"file:{jobs_db}?mode=ro", uri=True, timeout=5)
        try:
            tables = {r[0] for r in con.execute("select name from sqlite_master where type='table'")}
            table = next((t for t in ("Job", "HangfireJob") if t in tables), None)
            if table is None:
                return None
            return con.execute(
                f"select count(*) from {table} where StateName in "
                "('Enqueued','Processing','Scheduled','Awaiting')").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return None


def cmd_wait_idle(a):
    t0 = time.time()
    time.sleep(a.settle)   # let a just-queued job be picked up (Hangfire polls every second)
    quiet, last = 0, proc_cpu_seconds(a.pid)
    while time.time() - t0 < a.timeout:
        time.sleep(1)
        now = proc_cpu_seconds(a.pid)
        busy = now - last
        last = now
        jobs = pending_jobs(a.jobs_db)
        if busy < a.threshold and not jobs:
            quiet += 1
            if quiet >= 3:
                log(f"forge idle after {time.time() - t0:.0f} s (pending jobs: {jobs})")
                return
        else:
            quiet = 0
    log(f"WARNING forge still busy after {a.timeout} s (pending jobs: {pending_jobs(a.jobs_db)}); measuring anyway")


# ------------------------------------------------------------------ wait-quiet
def cmd_wait_quiet(a):
    """Wait until the machine's CPUs are mostly idle (other people's builds share them)."""
    t0, quiet, busy = time.time(), 0, None
    prev = benchlib.cpu_times()
    while a.timeout > 0 and time.time() - t0 < a.timeout:
        time.sleep(2)
        cur = benchlib.cpu_times()
        busy = benchlib.cpu_delta(prev, cur).get("cpu_busy_pct", 0.0)
        prev = cur
        quiet = quiet + 1 if busy < a.max_busy else 0
        if quiet >= 3:
            break
    waited = round(time.time() - t0)
    if a.timeout > 0 and quiet < 3:
        log(f"WARNING machine still busy ({busy} % CPU) after {waited} s: measuring anyway")
    elif a.timeout > 0:
        log(f"machine quiet ({busy} % CPU) after {waited} s")
    print(f"{waited} {busy if busy is not None else ''}")


# ------------------------------------------------------------------ check
def get(url, headers=None):
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    req = urllib.request.Request(url, headers={"Accept-Encoding": "identity", **(headers or {})})
    t0 = time.perf_counter()
    try:
        with opener.open(req, timeout=60) as r:
            return r.status, dict(r.headers), r.read(), time.perf_counter() - t0
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read(), time.perf_counter() - t0
    except OSError as e:
        return 0, {"error": str(e)}, b"", time.perf_counter() - t0


def git_out(repo, *args, binary=False):
    return subprocess.run(["git", "-C", repo, *args], check=True, capture_output=True,
                          text=not binary).stdout


def expectations(repo_dir, repo, page):
    """What a correct page must contain: (kind, values). Names are checked HTML-escaped."""
    name, br = repo["name"], repo["branch"]
    p = page["page"]
    if p == "raw":
        return "bytes", git_out(repo_dir, "cat-file", "blob", f"{br}:{repo['raw_file']}", binary=True)
    if p in ("summary", "tree_root"):
        names = git_out(repo_dir, "ls-tree", "--name-only", br).split("\n")
        return "names", [n for n in names if n][:40]
    if p == "tree_deep":
        names = git_out(repo_dir, "ls-tree", "--name-only", f"{br}:{repo['deep_dir']}").split("\n")
        return "names", [n for n in names if n][:40]
    if p == "blob_large":
        return "names", [os.path.basename(repo["large_file"])]
    if p == "log":
        shas = git_out(repo_dir, "log", "-n", "20", "--format=%h", br).split()
        return "any_sha", shas
    if p == "commit":
        files = git_out(repo_dir, "diff-tree", "--no-commit-id", "--name-only", "-r", repo["diff_commit"]).split()
        return "names", [repo["diff_commit"][:7]] + [os.path.basename(f) for f in files][:10]
    return None, None


def cmd_check(a):
    results = []
    for repo, page, url in page_urls(a):
        status, headers, body, secs = get(url)
        h = {k.lower(): v for k, v in headers.items()}
        rec = {"repo": repo["name"], "page": page["page"], "url": url, "status": status,
               "content_type": h.get("content-type"), "cache_control": h.get("cache-control"),
               "etag": h.get("etag"), "bytes": len(body), "first_s": round(secs, 4)}
        if status == 200:
            kind, want = expectations(os.path.join(a.repos_dir, repo["name"] + ".git"), repo, page)
            text = body.decode("utf-8", "replace")
            problems = []
            if kind == "bytes":
                if body != want:
                    problems.append(f"body differs from git ({len(body)} vs {len(want)} bytes)")
            elif kind == "names":
                missing = [n for n in want if n not in text and html.escape(n) not in text]
                if missing:
                    problems.append(f"{len(missing)}/{len(want)} expected names missing: {', '.join(missing[:5])}")
            elif kind == "any_sha":
                if not any(s in text for s in want):
                    problems.append("none of the 20 newest commit ids appears")
            ct = (rec["content_type"] or "").lower()
            if page["page"] == "raw":
                if not ct.startswith("text/plain"):
                    problems.append(f"raw {repo['raw_file']} served as {rec['content_type']}")
            elif not ct.startswith("text/html"):
                problems.append(f"page served as {rec['content_type']}")
            elif "charset=utf-8" not in ct:
                problems.append("no charset=utf-8 in Content-Type")
            if 'class="error"' in text[:20000] or "<div class='error'>" in text:
                problems.append('body contains class="error" (the shared harness treats the page as an error page)')
            rec["content_ok"] = not problems
            rec["problems"] = problems
            # HTTP behaviour that a browser or a proxy would use (informational, not a failure).
            st, hh, _, _ = get(url, {"Accept-Encoding": "gzip, br"})
            rec["compressed"] = {k.lower(): v for k, v in hh.items()}.get("content-encoding") if st == 200 else None
            validator = {"If-None-Match": rec["etag"]} if rec["etag"] else (
                {"If-Modified-Since": h["last-modified"]} if h.get("last-modified") else None)
            rec["conditional_status"] = get(url, validator)[0] if validator else None
        else:
            rec["content_ok"] = False
            rec["problems"] = [f"HTTP {status}" + (" (route missing)" if status == 404 else "")]
        log(f"check {rec['repo']:8} {rec['page']:10} {status} {rec['content_type']} {rec['bytes']} B "
            + ("ok" if rec["content_ok"] else "; ".join(rec["problems"])))
        results.append(rec)
    with open(a.out, "w", encoding="utf-8") as f:
        json.dump({"checks": results}, f, indent=1)


# ------------------------------------------------------------------ warmup
def cmd_warmup(a):
    if a.seconds <= 0:
        return
    checks = json.load(open(a.checks))["checks"]
    for c in checks:
        if c["status"] != 200:
            continue
        url = c["url"]
        if a.rebase:   # the same page on another Forge process (the cache-less one)
            old, new = a.rebase
            url = new + url[len(old):] if url.startswith(old) else url
        benchlib.require_loopback(url)
        subprocess.run(["timeout", "-k", "5", str(a.seconds + 20), "wrk", "-t1", "-c4", f"-d{a.seconds}s",
                        "--timeout", "10s", url], capture_output=True)
    log(f"warm-up done ({a.seconds} s of wrk per page{' on ' + a.rebase[1] if a.rebase else ''})")


# ------------------------------------------------------------------ summary
def fnum(x, nd=1):
    return "–" if x is None else f"{x:,.{nd}f}"


def ratio(a, b):
    if not a or not b:
        return "–"
    return f"{a / b:.2f}×"


def cmd_merge_git(a):
    """Rounds of `benchlib.py git` for one target (run alternately with the other target, so that both see the
    same moments of a machine whose speed drifts) merged into one result per repository and operation: every timed
    run kept, statistics recomputed over all of them."""
    import statistics
    docs = [json.load(open(f)) for f in a.inputs]
    targets = {d["target"] for d in docs}
    if len(targets) != 1:
        raise SystemExit(f"merge-git: one target at a time, got {sorted(targets)}")
    merged, order = {}, []
    for d in docs:
        for r in d["results"]:
            key = (r["repo"], r["op"])
            if key not in merged:
                merged[key] = {k: v for k, v in r.items() if k not in ("times", "check_run_s", "cpu")}
                merged[key].update(times=[], user_s=[], system_s=[], rounds=0)
                order.append(key)
            m = merged[key]
            m["rounds"] += 1
            if r.get("error"):
                m["error"] = r["error"]
                continue
            m["times"] += r.get("times", [])
            runs = r.get("runs") or len(r.get("times", [])) or 1
            m["user_s"].append(r.get("user", 0) * runs)
            m["system_s"].append(r.get("system", 0) * runs)
    results = []
    for key in order:
        m = merged[key]
        t = m["times"]
        if t and not m.get("error"):
            n = len(t)
            m.update(mean=round(sum(t) / n, 4), median=round(statistics.median(t), 4), min=min(t), max=max(t),
                     stddev=round(statistics.stdev(t), 4) if n > 1 else 0.0, runs=n,
                     user=round(sum(m["user_s"]) / n, 4), system=round(sum(m["system_s"]) / n, 4))
        del m["user_s"], m["system_s"]
        results.append(m)
    first = docs[0]
    out = {"kind": "git", "target": first["target"], "url_template": first["url_template"],
           "started": min(d["started"] for d in docs), "finished": max(d["finished"] for d in docs),
           "config": dict(first.get("config", {}), rounds=len(docs), alternated=True), "results": results}
    with open(a.out, "w") as f:
        json.dump(out, f, indent=1)


def cmd_summary(a):
    rep = json.load(open(a.report_json))
    meta = json.load(open(a.meta))
    checks = json.load(open(a.checks))["checks"] if a.checks and os.path.exists(a.checks) else []
    chk = {(c["repo"], c["page"]): c for c in checks}
    pages = benchlib.read_tsv(a.pages)
    by = {(r["target"], r["repo"], r["page"]): r for r in rep.get("pages", [])}
    targets = [t["target"] for t in rep.get("page_targets", [])]
    forge = meta["forge_target"]
    anchors = [t for t in ("cgit", "cgit-cached") if t in targets]
    repos = [r["name"] for r in rep.get("repos", []) if any(k[1] == r["name"] for k in by)]

    L = [f"# Forge benchmark — {meta['mode']} run", "",
         f"Run {meta['started']} – {meta['finished']} ({meta['elapsed_s'] // 60} min {meta['elapsed_s'] % 60} s "
         f"in all: {', '.join(f'{k} {v} s' for k, v in meta['phases'].items())}), "
         f"command `{meta['command']}`.", "",
         f"**Forge:** built in Release from {meta['forge_source']}, served by Kestrel on `{meta['forge_url']}` "
         f"(Production, SQLite, data in `bench/.work/data`), repositories pushed with git under user "
         f"`{meta['owner']}`; warmed up with {meta['warmup_s']} s of wrk per page before measuring. "
         f"Peak memory (VmHWM) {meta.get('forge_peak_rss_mib', '?')} MiB, CPU time "
         f"{meta.get('forge_cpu_s', '?')} s over the run.", "",
         "Same machine, same run, same wrk/hyperfine settings as the anchors (see the full report below). "
         "Treat differences under ~25 % as noise on this shared 2-CPU machine.", ""]
    if meta.get("load"):
        qw = meta.get("quiet_wait") or {}
        busy = qw.get("cpu_busy_pct")
        L += [f"Load average when measuring started: {meta['load']}"
              + (f"; CPUs {busy:.0f} % busy just before (after waiting {qw.get('waited_s')} s of at most "
                 f"{qw.get('max_s')} s for them to fall under 20 %)" if busy is not None else "")
              + ". The per-run CPU use (`cpu_busy_pct`) and steal are in the JSON.", ""]

    L += ["## Pages: Forge vs cgit", "",
          "req/s under load (16 connections, higher is better), and *alone* = latency of one request on the "
          "idle server (ms, lower is better). ratio = Forge req/s ÷ anchor req/s.", ""]
    missing = []
    for repo in repos:
        L += [f"### {repo}", ""]
        head = ["page", f"{forge} req/s"] + [f"{t} req/s" for t in anchors] + \
               [f"÷ {t}" for t in anchors] + [f"{forge} p50 ms", f"{forge} alone ms"] + \
               [f"{t} alone ms" for t in anchors] + [f"{forge} bytes", f"{forge} Content-Type", "check"]
        L += ["| " + " | ".join(head) + " |", "|---|" + "---:|" * (len(head) - 4) + "---:|---|---|"]
        for pg in pages:
            p = pg["page"]
            f = by.get((forge, repo, p))
            if f is None:
                continue
            c = chk.get((repo, p), {})
            an = [by.get((t, repo, p)) for t in anchors]
            if f.get("error"):
                missing.append((repo, p, f.get("url", ""), f["error"]))
                frps, fp50, falone, fbytes = f"**{f['error'][:30]}**", "", "", ""
            else:
                frps = fnum(f.get("rps"))
                if len(f.get("samples", [])) > 1:
                    frps += f" ({f['rps_min']:,.0f}–{f['rps_max']:,.0f})"
                if f.get("errors"):
                    frps += f" ⚠ {f['errors']:,} failed requests"
                fp50, falone, fbytes = fnum(f.get("p50_ms"), 2), fnum(f.get("single_ms"), 2), str(f.get("bytes", ""))
            arps = [("error" if (x and x.get("error")) else fnum(x.get("rps")) if x else "") for x in an]
            ratios = [ratio(f.get("rps"), x.get("rps")) if x and not x.get("error") and not f.get("error") else "–"
                      for x in an]
            aalone = [fnum(x.get("single_ms"), 2) if x and not x.get("error") else "–" for x in an]
            check = "ok" if c.get("content_ok") else "; ".join(c.get("problems", [])) or "–"
            ct = c.get("content_type") or ""
            L.append("| " + " | ".join([p, frps] + arps + ratios + [fp50, falone] + aalone +
                                       [fbytes, f"`{ct}`" if ct else "", check]) + " |")
        L.append("")
    if missing:
        L += ["**Pages Forge does not serve yet** (measured as missing, not as zero):", ""]
        for repo, p, url, err in missing:
            L.append(f"- {repo} `{p}`: {err} — <{url}>")
        L.append("")

    served = [c for c in checks if c.get("status") == 200]
    if served:
        L += ["## Forge's HTTP headers on these pages", "",
              "Informational: what a browser or a cache in front of Forge can use. *compressed* = "
              "Content-Encoding when asked with `Accept-Encoding: gzip, br` (wrk asks for none, so the load "
              "figures are uncompressed on every server); *conditional* = status of a repeat request "
              "carrying the ETag (`If-None-Match`) or Last-Modified the page sent.", "",
              "| repo | page | Cache-Control | ETag | conditional | compressed |", "|---|---|---|---|---|---|"]
        for c in served:
            cond = c.get("conditional_status")
            L.append(f"| {c['repo']} | {c['page']} | `{c.get('cache_control') or ''}` | "
                     f"{'yes' if c.get('etag') else 'no'} | "
                     f"{'–' if cond is None else str(cond) + (' (not honoured)' if cond == 200 else '')} | "
                     f"{c.get('compressed') or 'no'} |")
        L.append("")

    gits = [r for r in rep.get("git", [])]
    if gits:
        L += ["## Git over smart HTTP: Forge vs git http-backend", "",
              "Wall time of the client command (s, lower is better); ratio = Forge ÷ git http-backend, of the means and "
              "of the medians (the median is less moved by a run the VM's neighbours slowed down).", "",
              "| repo | operation | forge mean s | git http-backend mean s | ratio of means | forge median s | "
              "git http-backend median s | ratio of medians | forge min–max s | runs each |",
              "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
        gby = {(r["target"], r["repo"], r["op"]): r for r in gits}
        for (t, repo, op), r in gby.items():
            if t != meta["forge_git_target"]:
                continue
            b = gby.get(("git-http-backend", repo, op))
            if r.get("error"):
                L.append(f"| {repo} | {op} | error: {r['error'][:80]} | {fnum(b.get('mean'), 3) if b else '–'} | – | | |")
                continue
            bm = b.get("mean") if b and not b.get("error") else None
            bmed = b.get("median") if b and not b.get("error") else None
            L.append(f"| {repo} | {op} | {fnum(r['mean'], 3)} | {fnum(bm, 3)} | "
                     f"{ratio(r['mean'], bm) if bm else '–'} | {fnum(r.get('median'), 3)} | {fnum(bmed, 3)} | "
                     f"{ratio(r['median'], bmed) if bmed and r.get('median') else '–'} | "
                     f"{fnum(r['min'], 3)}–{fnum(r['max'], 3)} | {r['runs']} |")
        L += ["", "Forge's push is authenticated (HTTP Basic with a personal access token, given by a git credential "
              "helper after the 401 challenge, as a teacher's git does); git http-backend's is anonymous. Before "
              "each timed Forge push the throwaway `{repo}-push` branch is force-pushed back to the base commit "
              "(untimed); git http-backend's throwaway repository is recreated on disk.", ""]
        rounds = meta.get("git_rounds")
        if rounds:
            L += [f"Timed alternately: {rounds} rounds, each timing git http-backend and Forge one after the other, "
                  "the first of the pair switching every round (git http-backend, Forge, Forge, git http-backend, …), "
                  "so that neither always runs first on a machine whose speed drifts within minutes.", ""]

    if meta.get("log_problems"):
        L += ["## Forge server log", "", f"{meta['log_problems']['count']} warning/error lines in "
              f"`bench/.work/log/forge.log` during the run; first ones:", "", "```"]
        L += [ln[:300] for ln in meta["log_problems"]["first"]]
        L += ["```", ""]
    L += ["---", ""]
    shared_md = open(a.report_md, encoding="utf-8").read()
    with open(a.md, "w", encoding="utf-8") as out:
        out.write("\n".join(L) + "\n" + shared_md)
    rep["forge"] = {**meta, "checks": checks}
    benchlib.write_json(a.json, rep)
    log(f"wrote {a.md} and {a.json}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def urls_args(p):
        p.add_argument("--repos", required=True)
        p.add_argument("--pages", default=os.path.join(SHARED, "pages.tsv"))
        p.add_argument("--base", required=True)
        p.add_argument("--column", default="forge")
        p.add_argument("--repo-prefix", default="")
        p.add_argument("--only-repos", default="")
        p.add_argument("--only-pages", default="")

    p = sub.add_parser("repos")
    p.add_argument("--repos", required=True)
    p.add_argument("--only-repos", default="")

    p = sub.add_parser("wait-idle")
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--jobs-db", default="")
    p.add_argument("--timeout", type=int, default=300)
    p.add_argument("--settle", type=float, default=3)
    p.add_argument("--threshold", type=float, default=0.05, help="CPU seconds per second counted as idle")

    p = sub.add_parser("wait-quiet")
    p.add_argument("--timeout", type=int, default=120, help="seconds; 0: do not wait")
    p.add_argument("--max-busy", type=float, default=20.0, help="CPU busy %% counted as quiet")

    p = sub.add_parser("check")
    urls_args(p)
    p.add_argument("--repos-dir", required=True)
    p.add_argument("--out", required=True)

    p = sub.add_parser("warmup")
    p.add_argument("--checks", required=True)
    p.add_argument("--seconds", type=int, default=2)
    p.add_argument("--rebase", nargs=2, metavar=("FROM", "TO"), help="warm the same pages on another base URL")

    p = sub.add_parser("merge-git")
    p.add_argument("inputs", nargs="+")
    p.add_argument("--out", required=True)

    p = sub.add_parser("summary")
    p.add_argument("--report-md", required=True)
    p.add_argument("--report-json", required=True)
    p.add_argument("--checks", default="")
    p.add_argument("--meta", required=True)
    p.add_argument("--pages", default=os.path.join(SHARED, "pages.tsv"))
    p.add_argument("--md", required=True)
    p.add_argument("--json", required=True)

    a = ap.parse_args()
    {"repos": cmd_repos, "wait-idle": cmd_wait_idle, "wait-quiet": cmd_wait_quiet, "check": cmd_check, "warmup": cmd_warmup,
     "merge-git": cmd_merge_git, "summary": cmd_summary}[a.cmd](a)


if __name__ == "__main__":
    main()
