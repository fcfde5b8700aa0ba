#!/usr/bin/env bash
# Forge side by side with the reference anchors (cgit, cgit with page cache, git http-backend).
#
#   bench/run.sh            full run: every repository the anchors have, BENCH_REPEAT=3 (about 30-40 min)
#   bench/run.sh --quick    course repository only, one pass, 5 s per page (about 5 min)
#
# Steps: install/prepare/start the anchors (/work/shared/bench/anchors-setup.sh, read-only, used as is),
# build Forge in Release into bench/.work/app from a snapshot of the sources, start it on 127.0.0.1:5090
# with its own data folder, import the anchors' repositories through Forge's API and git smart HTTP,
# check every Forge page once, warm it up, then run the shared anchors-run.sh with Forge as an extra
# target, and write bench/results[-quick].md and .json. Every server started here is stopped at the end.
#
# Options
#   --quick        short run (see above); results in bench/results-quick.{md,json}
#   --full         the default; results in bench/results.{md,json}
#   --from-head    build Forge from the last commit (git archive HEAD) instead of the working tree
#   --keep-data    reuse bench/.work/data (Forge's database and repositories) instead of starting afresh
#   --rebuild      rebuild Forge even if its sources did not change since the last build
#   -h, --help
# Environment: every knob of the shared harness (BENCH_DATA, BENCH_REPEAT, BENCH_ONLY_REPOS, BENCH_ONLY_PAGES,
# BENCH_DURATION, BENCH_GIT_RUNS, BENCH_SKIP_PAGES, BENCH_SKIP_GIT, BENCH_ANCHORS=0, BENCH_MIRROR, ...) plus
#   BENCH_SHARED=/work/shared/bench  the shared harness
#   BENCH_FORGE_PORT=5090            Forge's loopback port
#   BENCH_FORGE_OWNER=bench          the user owning the imported repositories
#   BENCH_FORGE_WARMUP=2             seconds of wrk per Forge page before measuring (0: none), on both Forge processes
#   BENCH_FORGE_GIT_WARMUP=10        untimed push + fetch rounds per repository before git is timed (0: none)
#   BENCH_GIT_ROUNDS=6 (quick: 4)   git is timed in rounds, git http-backend and Forge alternately (first of the pair
#                                    switching every round); BENCH_GIT_RUNS_PER_ROUND=2 timed runs per target a round
#   BENCH_WAIT_QUIET=300 (quick: 60) wait up to this many seconds for the CPUs to be <20 % busy before measuring
#   BENCH_OUT_MD / BENCH_OUT_JSON    where the side-by-side report goes
set -euo pipefail

BENCH_HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$BENCH_HERE/.." && pwd)
export BENCH_SHARED=${BENCH_SHARED:-/work/shared/bench}
SHARED=$BENCH_SHARED
[ -f "$SHARED/anchors-run.sh" ] || { echo "no shared harness in $SHARED (set BENCH_SHARED)" >&2; exit 1; }

MODE=full FROM_HEAD=0 KEEP_DATA=0 REBUILD=0
COMMAND="bench/run.sh $*"
for arg in "$@"; do
    case $arg in
        --quick) MODE=quick ;;
        --full) MODE=full ;;
        --from-head) FROM_HEAD=1 ;;
        --keep-data) KEEP_DATA=1 ;;
        --rebuild) REBUILD=1 ;;
        -h|--help) sed -n '2,30p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "unknown option: $arg (see bench/run.sh --help)" >&2; exit 2 ;;
    esac
done

if [ "$MODE" = quick ]; then
    export BENCH_REPEAT=${BENCH_REPEAT:-1}
    export BENCH_ONLY_REPOS=${BENCH_ONLY_REPOS:-course}
    export BENCH_DURATION=${BENCH_DURATION:-5}
    export BENCH_GIT_RUNS=${BENCH_GIT_RUNS:-3}
    export BENCH_LONG_EDITS=${BENCH_LONG_EDITS:-0}   # course-long is not measured: do not generate it
    OUT_MD=${BENCH_OUT_MD:-$BENCH_HERE/results-quick.md}
    OUT_JSON=${BENCH_OUT_JSON:-$BENCH_HERE/results-quick.json}
else
    OUT_MD=${BENCH_OUT_MD:-$BENCH_HERE/results.md}
    OUT_JSON=${BENCH_OUT_JSON:-$BENCH_HERE/results.json}
fi
unset BENCH_OUT_MD BENCH_OUT_JSON
# "git" is a reserved repository name in Forge: serve git/git as "git-scm" on every server (same run, same names).
export BENCH_NAME_LARGE=${BENCH_NAME_LARGE:-git-scm}

# Settings shared with the anchors (BENCH_DATA, repos.tsv, ports, log/die, proxy variables cleared).
source "$SHARED/lib/common.sh"
export BENCH_DATA

WORK=$BENCH_HERE/.work
APP=$WORK/app
SRC=$WORK/src
FDATA=$WORK/data
FLOG=$WORK/log
FORGE_PORT=${BENCH_FORGE_PORT:-5090}
FORGE_URL=http://$BENCH_HOST:$FORGE_PORT
# A second Forge process on the same data with every cache off ("forge-nocache"): what a page costs from scratch.
NOCACHE=${BENCH_FORGE_NOCACHE:-1}
NOCACHE_URL=http://$BENCH_HOST:$((FORGE_PORT + 1))
OWNER=${BENCH_FORGE_OWNER:-bench}
WARMUP=${BENCH_FORGE_WARMUP:-2}
GIT_WARMUP=${BENCH_FORGE_GIT_WARMUP:-10}
if [ "$MODE" = quick ]; then WAIT_QUIET=${BENCH_WAIT_QUIET:-60}; else WAIT_QUIET=${BENCH_WAIT_QUIET:-300}; fi
PY=(python3 "$BENCH_HERE/lib/forge_bench.py")
RUNDIR=$WORK/runs/$(date +%Y%m%dT%H%M%S)
mkdir -p "$WORK" "$FLOG" "$RUNDIR"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

STARTED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
T_START=$SECONDS
PHASES=()
phase_done() { PHASES+=("$1=$((SECONDS - PHASE_T0))"); PHASE_T0=$SECONDS; }
PHASE_T0=$SECONDS

# ------------------------------------------------------------------ cleanup
FORGE_PID=
stop_forge() {
    [ -n "$FORGE_PID" ] || return 0
    if kill -0 "$FORGE_PID" 2>/dev/null; then
        kill -TERM -- "-$FORGE_PID" 2>/dev/null || kill -TERM "$FORGE_PID" 2>/dev/null || true
        for _ in $(seq 100); do kill -0 "$FORGE_PID" 2>/dev/null || break; sleep 0.2; done
        if kill -0 "$FORGE_PID" 2>/dev/null; then
            log "forge did not stop in 20 s: killing it"
            kill -KILL -- "-$FORGE_PID" 2>/dev/null || kill -KILL "$FORGE_PID" 2>/dev/null || true
        fi
        log "stopped forge (pid $FORGE_PID)"
    fi
    wait "$FORGE_PID" 2>/dev/null || true
    FORGE_PID=
    rm -f "$WORK/forge.pid"
}
cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_forge
    if [ -n "${NOCACHE_PID:-}" ]; then kill -- -"$NOCACHE_PID" 2>/dev/null || kill "$NOCACHE_PID" 2>/dev/null || true; fi
    if [ "${BENCH_KEEP_SERVERS:-0}" != 1 ]; then bash "$SHARED/anchors-setup.sh" stop || true; fi
    [ $rc -eq 0 ] || log "bench/run.sh failed (exit $rc); Forge's log: $FLOG/forge.log"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ------------------------------------------------------------------ 1. anchors
log "mode: $MODE (BENCH_REPEAT=${BENCH_REPEAT:-3} BENCH_ONLY_REPOS='${BENCH_ONLY_REPOS:-}' BENCH_DURATION=${BENCH_DURATION:-10}); niceness $(nice)"
bash "$SHARED/anchors-setup.sh" install
bash "$SHARED/anchors-setup.sh" data
command -v dotnet >/dev/null || die "dotnet (the .NET 10 SDK) is needed to build Forge"
phase_done anchors-setup

# ------------------------------------------------------------------ 2. build Forge
build_forge() {
    local items=() new=$SRC.new desc p
    for p in "$ROOT"/Forge.*/ "$ROOT"/themes "$ROOT"/Directory.Build.props "$ROOT"/Directory.Packages.props \
        "$ROOT"/global.json "$ROOT"/.editorconfig; do
        [ -e "$p" ] && items+=("$(basename "$p")")
    done
    local head
    head=$(git -C "$ROOT" rev-parse --short=12 HEAD)
    rm -rf "$new"
    mkdir -p "$new"
    if [ "$FROM_HEAD" = 1 ]; then
        git -C "$ROOT" archive HEAD -- "${items[@]}" | tar -x -C "$new"
        desc="commit \`$head\` (git archive HEAD)"
    else
        tar -C "$ROOT" --exclude='Forge.*/bin' --exclude='Forge.*/obj' -cf - "${items[@]}" | tar -x -C "$new"
        local dirty
        dirty=$(git -C "$ROOT" status --porcelain -- "${items[@]}" | wc -l)
        desc="the working tree at commit \`$head\`"
        [ "$dirty" -gt 0 ] && desc+=" with $dirty uncommitted changed/new paths"
    fi
    local hash
    hash=$(cd "$new" && find . -type f -print0 | LC_ALL=C sort -z | xargs -0 sha1sum | sha1sum | cut -c1-16)
    echo "$desc" >"$WORK/forge-source.txt"
    if [ "$REBUILD" = 0 ] && [ -f "$APP/.bench-src-hash" ] && [ "$(cat "$APP/.bench-src-hash")" = "$hash" ]; then
        log "forge: build up to date ($desc, sources $hash)"
        rm -rf "$new"
        return 0
    fi
    # Keep the previous build's obj/ folders so the build is incremental.
    for p in "$SRC"/Forge.*/; do
        p=$(basename "$p")
        [ -d "$SRC/$p/obj" ] && [ -d "$new/$p" ] && mv "$SRC/$p/obj" "$new/$p/obj"
    done
    rm -rf "$SRC"
    mv "$new" "$SRC"
    log "forge: dotnet publish -c Release from $desc (sources $hash)"
    rm -rf "$APP.new"
    # --disable-build-servers: no MSBuild node or compiler server is left running after the build.
    dotnet publish "$SRC/Forge.Web/Forge.Web.csproj" -c Release -o "$APP.new" --disable-build-servers \
        -nologo -v quiet -clp:ErrorsOnly >&2 ||
        die "Forge did not build from $desc (try --from-head to build the last commit)"
    echo "$hash" >"$APP.new/.bench-src-hash"
    rm -rf "$APP"
    mv "$APP.new" "$APP"
}
build_forge
FORGE_SOURCE=$(cat "$WORK/forge-source.txt")
phase_done build

# ------------------------------------------------------------------ 3. start Forge, user, token
if curl -s -o /dev/null --max-time 2 "$FORGE_URL/" 2>/dev/null; then
    die "something already answers on $FORGE_URL (another Forge? set BENCH_FORGE_PORT)"
fi
if [ "$KEEP_DATA" = 0 ]; then rm -rf "$FDATA" "$WORK/token"; fi
mkdir -p "$FDATA"
: >"$FLOG/forge.log"
(
    cd "$WORK"
    export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
    # setsid: own process group, so stopping it also ends any git child it runs.
    exec setsid dotnet "$APP/Forge.Web.dll" --urls "$FORGE_URL" --data "$FDATA"
) </dev/null >>"$FLOG/forge.log" 2>&1 &
FORGE_PID=$!
echo "$FORGE_PID" >"$WORK/forge.pid"
log "forge: starting (pid $FORGE_PID) on $FORGE_URL, data $FDATA"
for i in $(seq 240); do
    kill -0 "$FORGE_PID" 2>/dev/null || { tail -30 "$FLOG/forge.log" >&2; die "forge exited during start-up"; }
    [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$FORGE_URL/api/v1/version" || true)" = 200 ] && break
    [ "$i" = 240 ] && die "forge did not answer within 120 s"
    sleep 0.5
done
log "forge: up after $((SECONDS - PHASE_T0)) s"

forge_admin() { dotnet "$APP/Forge.Web.dll" admin "$@" --data "$FDATA"; }
api_code() {   # api_code METHOD PATH [JSON] -> prints the HTTP status; body in $RUNDIR/api-body
    curl -s -o "$RUNDIR/api-body" -w '%{http_code}' -X "$1" -H "Authorization: token $FORGE_BENCH_TOKEN" \
        -H 'Content-Type: application/json' ${3:+-d "$3"} "$FORGE_URL$2"
}
FORGE_BENCH_TOKEN=$(cat "$WORK/token" 2>/dev/null || true)
if [ -z "$FORGE_BENCH_TOKEN" ] || [ "$(api_code GET /api/v1/user)" != 200 ]; then
    forge_admin user create "$OWNER" --email "$OWNER@example.org" --password benchbench1 --admin >&2 ||
        [ "$KEEP_DATA" = 1 ] || die "could not create user $OWNER"
    FORGE_BENCH_TOKEN=$(forge_admin token create "$OWNER" --name "bench $(date +%Y%m%dT%H%M%S)" | tail -n 1)
    [ -n "$FORGE_BENCH_TOKEN" ] || die "no token printed by 'admin token create'"
    (umask 077 && echo "$FORGE_BENCH_TOKEN" >"$WORK/token")
    [ "$(api_code GET /api/v1/user)" = 200 ] || die "the new token is refused by GET /api/v1/user"
fi
export FORGE_BENCH_TOKEN FORGE_BENCH_USER=$OWNER
# git gets the user name and token from this credential helper after Forge's 401 challenge (as a teacher's git
# would), so the token never appears in a URL, a command line or the report. The empty first value drops any
# helper configured for this machine's user.
export GIT_CONFIG_COUNT=2 GIT_CONFIG_KEY_0=credential.helper GIT_CONFIG_VALUE_0= \
    GIT_CONFIG_KEY_1=credential.helper \
    GIT_CONFIG_VALUE_1='!f() { if test "$1" = get; then printf "username=%s\npassword=%s\n" "$FORGE_BENCH_USER" "$FORGE_BENCH_TOKEN"; fi; }; f'
export GIT_TERMINAL_PROMPT=0
phase_done forge-start

# ------------------------------------------------------------------ 4. import the repositories
import_repo() {   # import_repo NAME SOURCE_GIT_DIR BRANCH EXPECTED_TIP
    local name=$1 src=$2 br=$3 tip=$4 code url=$FORGE_URL/$OWNER/$1.git t0=$SECONDS desc
    desc=$(head -c 200 "$src/description" 2>/dev/null | tr -d '"\\\n' || true)
    code=$(api_code POST /api/v1/user/repos "{\"name\":\"$name\",\"description\":\"$desc\",\"private\":false}")
    case $code in
        201) ;;
        409) if [ "$(git ls-remote "$url" "refs/heads/$br" | cut -f1)" = "$tip" ]; then
                 log "forge: $OWNER/$name already at $tip"; return 0
             fi ;;
        *) die "POST /api/v1/user/repos {name: $name} answered $code: $(head -c 300 "$RUNDIR/api-body")" ;;
    esac
    git -C "$src" push -q --force "$url" '+refs/heads/*:refs/heads/*' '+refs/tags/*:refs/tags/*' >&2 ||
        die "git push of $src to $url failed (see $FLOG/forge.log)"
    local got
    got=$(git ls-remote "$url" "refs/heads/$br" | cut -f1)
    [ "$got" = "$tip" ] || die "$OWNER/$name: refs/heads/$br is '$got' after the push, expected $tip"
    log "forge: imported $OWNER/$name ($br at ${tip:0:12}) in $((SECONDS - t0)) s"
}
mapfile -t REPO_ROWS < <("${PY[@]}" repos --repos "$BENCH_REPOS_TSV" --only-repos "${BENCH_ONLY_REPOS:-}")
[ ${#REPO_ROWS[@]} -gt 0 ] || die "no repository selected (BENCH_ONLY_REPOS='${BENCH_ONLY_REPOS:-}')"
# Forge runs on .NET, whose JIT compiles hot code in stages over its first calls: like the pages (warmed with wrk
# below), the git paths are exercised a few times before they are timed. Untimed, and the same operations as measured.
warm_git() {   # warm_git NAME BRANCH BASE_COMMIT
    local name=$1 br=$2 commit=$3 work=$BENCH_WORK_DIR/$1-ahead url=$FORGE_URL/$OWNER tmp i
    tmp=$(mktemp -d)
    for i in $(seq "$GIT_WARMUP"); do
        git -C "$work" push -q -f "$url/$name-push.git" "$commit:refs/heads/$br" &&
            git -C "$work" push -q "$url/$name-push.git" "HEAD:refs/heads/$br" &&
            rm -rf "$tmp/f.git" && git clone -q --bare --shared "$BENCH_REPOS_DIR/$name.git" "$tmp/f.git" &&
            git -C "$tmp/f.git" fetch -q "$url/$name-ahead.git" "+refs/heads/$br:refs/heads/$br" ||
            die "git warm-up on $OWNER/$name failed (see $FLOG/forge.log)"
    done
    rm -rf "$tmp"
}
for row in "${REPO_ROWS[@]}"; do
    IFS=$'\t' read -r name br commit <<<"$row"
    ahead_tip=$(git -C "$BENCH_REPOS_DIR/$name-ahead.git" rev-parse "refs/heads/$br")
    import_repo "$name" "$BENCH_REPOS_DIR/$name.git" "$br" "$commit"
    import_repo "$name-ahead" "$BENCH_REPOS_DIR/$name-ahead.git" "$br" "$ahead_tip"   # incremental fetch source
    import_repo "$name-push" "$BENCH_REPOS_DIR/$name.git" "$br" "$commit"             # throwaway push target
    [ "$GIT_WARMUP" -gt 0 ] && warm_git "$name" "$br" "$commit"
done
[ "$GIT_WARMUP" -gt 0 ] && log "forge: git paths warmed up ($GIT_WARMUP pushes and fetches per repository)"
"${PY[@]}" wait-idle --pid "$FORGE_PID" --jobs-db "$FDATA/jobs.db" --timeout 600
phase_done import

# ------------------------------------------------------------------ 5. check and warm up Forge's pages
"${PY[@]}" check --repos "$BENCH_REPOS_TSV" --base "$FORGE_URL" --repo-prefix "$OWNER/" \
    --only-repos "${BENCH_ONLY_REPOS:-}" --only-pages "${BENCH_ONLY_PAGES:-}" \
    --repos-dir "$BENCH_REPOS_DIR" --out "$RUNDIR/forge-checks.json"
"${PY[@]}" warmup --checks "$RUNDIR/forge-checks.json" --seconds "$WARMUP"
if [ "${BENCH_ANCHORS:-1}" = 1 ]; then bash "$SHARED/anchors-setup.sh" start; fi
phase_done check-warmup

if [ "$NOCACHE" = 1 ]; then
    (
        cd "$WORK"
        export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
        exec setsid dotnet "$APP/Forge.Web.dll" --urls "$NOCACHE_URL" --data "$FDATA" --cache:enabled false --jobs:workers 0
    ) </dev/null >>"$FLOG/forge-nocache.log" 2>&1 &
    NOCACHE_PID=$!
    for i in $(seq 120); do
        [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$NOCACHE_URL/api/v1/version" || true)" = 200 ] && break
        sleep 0.5
    done
    log "forge-nocache: up on $NOCACHE_URL (pid $NOCACHE_PID), every cache off"
    "${PY[@]}" warmup --checks "$RUNDIR/forge-checks.json" --seconds "$WARMUP" --rebase "$FORGE_URL" "$NOCACHE_URL"
    BENCH_EXTRA_TARGETS="forge-nocache|pages|$NOCACHE_URL|forge${BENCH_EXTRA_TARGETS:+ $BENCH_EXTRA_TARGETS}"
fi

# ------------------------------------------------------------------ 6. measure (shared harness)
# The CPUs are shared (builds, tests): wait a while for them to calm down, then measure anyway.
read -r QUIET_WAITED QUIET_BUSY < <("${PY[@]}" wait-quiet --timeout "$WAIT_QUIET")
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
# Pages through the shared harness, as is. Git is timed below, alternately: the shared harness times every
# git target one after the other (git http-backend first), and on this VM the same clone takes 0.2 s or 0.8 s
# a few minutes apart, so whichever runs first is judged on another machine than the other.
SKIP_GIT=${BENCH_SKIP_GIT:-0}
shopt -s nullglob
RESULTS_BEFORE=("$BENCH_DATA"/results/*/)
BENCH_SKIP_GIT=1 \
BENCH_EXTRA_TARGETS="forge|pages|$FORGE_URL|forge${BENCH_EXTRA_TARGETS:+ $BENCH_EXTRA_TARGETS}" \
BENCH_REPO_PREFIX="$OWNER/" BENCH_KEEP_SERVERS=1 \
BENCH_OUT_MD="$RUNDIR/report.md" BENCH_OUT_JSON="$RUNDIR/report.json" \
    bash "$SHARED/anchors-run.sh"
phase_done measure-pages

GIT_ROUNDS=0
if [ "$SKIP_GIT" != 1 ]; then
    if [ "$MODE" = quick ]; then GIT_ROUNDS=${BENCH_GIT_ROUNDS:-4}; else GIT_ROUNDS=${BENCH_GIT_ROUNDS:-6}; fi
    GIT_RUNS=${BENCH_GIT_RUNS_PER_ROUND:-2}
    GDIR=$RUNDIR/git-rounds
    mkdir -p "$GDIR"
    time_git() {   # time_git TARGET URL_TEMPLATE ROUND [--remote] [--repo-prefix P]
        local t=$1 u=$2 r=$3
        shift 3
        python3 "$SHARED/lib/benchlib.py" git --target "$t" --url-template "$u" "$@" \
            --repos "$BENCH_REPOS_TSV" --data "$BENCH_DATA" --only-repos "${BENCH_ONLY_REPOS:-}" \
            --ops "${BENCH_GIT_OPS:-clone fetch push}" --runs "$GIT_RUNS" --warmup "${BENCH_GIT_WARMUP:-1}" \
            --clone-warmup "${BENCH_CLONE_WARMUP:-1}" --slow-runs 1 --out "$GDIR/$t-$r.json"
    }
    for r in $(seq "$GIT_ROUNDS"); do
        log "git, round $r of $GIT_ROUNDS"
        if [ $((r % 2)) = 1 ]; then
            time_git git-http-backend "http://$BENCH_HOST:$GIT_HTTP_PORT/{repo}.git" "$r"
            time_git forge "$FORGE_URL/{repo}.git" "$r" --remote --repo-prefix "$OWNER/"
        else
            time_git forge "$FORGE_URL/{repo}.git" "$r" --remote --repo-prefix "$OWNER/"
            time_git git-http-backend "http://$BENCH_HOST:$GIT_HTTP_PORT/{repo}.git" "$r"
        fi
    done
    "${PY[@]}" merge-git "$GDIR"/git-http-backend-*.json --out "$GDIR/git-git-http-backend.json"
    "${PY[@]}" merge-git "$GDIR"/forge-*.json --out "$GDIR/git-forge.json"
    # The pages' raw files of this run (the newest results folder the shared harness made), then one report.
    PAGE_FILES=()
    for d in "$BENCH_DATA"/results/*/; do
        case " ${RESULTS_BEFORE[*]} " in *" $d "*) continue ;; esac
        PAGE_FILES+=("$d"pages-*.json)
    done
    settings="nginx workers=auto ($(nproc)), access log off"
    settings+=";fcgiwrap children=cgit $FCGI_CGIT_CHILDREN / git $FCGI_GIT_CHILDREN"
    settings+=";cgit cache=off on :$CGIT_PORT, cache-size 1000 on :$CGIT_CACHE_PORT, no source or about filter"
    settings+=";repositories=one pack with bitmap index, commit-graph, packed refs"
    settings+=";load average at start=$LOAD"
    settings+=";git=$GIT_ROUNDS alternated rounds of $GIT_RUNS runs per target"
    python3 "$SHARED/lib/benchlib.py" report "${PAGE_FILES[@]}" "$GDIR/git-git-http-backend.json" "$GDIR/git-forge.json" \
        --repos "$BENCH_REPOS_TSV" --pages "$SHARED/pages.tsv" \
        --md "$RUNDIR/report.md" --json "$RUNDIR/report.json" --settings "$settings" \
        --notes "$SHARED/lib/anchors-notes.md"
fi
shopt -u nullglob
phase_done measure-git

# ------------------------------------------------------------------ 7. report
FORGE_CPU=$(python3 -c "import sys; sys.path.insert(0, '$BENCH_HERE/lib'); import forge_bench as f; print(round(f.proc_cpu_seconds($FORGE_PID), 1))" || echo)
FORGE_HWM=$(awk '/^VmHWM:/ { printf "%.0f", $2 / 1024 }' "/proc/$FORGE_PID/status" 2>/dev/null || echo)
stop_forge
if [ -n "${NOCACHE_PID:-}" ]; then kill -- -"$NOCACHE_PID" 2>/dev/null || kill "$NOCACHE_PID" 2>/dev/null || true; fi
if [ "${BENCH_KEEP_SERVERS:-0}" != 1 ]; then bash "$SHARED/anchors-setup.sh" stop || true; fi
phase_done stop
FINISHED=$(date -u '+%Y-%m-%d %H:%M:%S UTC')
export MODE COMMAND STARTED FINISHED FORGE_SOURCE FORGE_URL OWNER WARMUP LOAD FORGE_CPU FORGE_HWM FLOG \
    QUIET_WAITED QUIET_BUSY WAIT_QUIET GIT_ROUNDS
export ELAPSED=$((SECONDS - T_START)) PHASES_STR="${PHASES[*]}"
python3 - "$RUNDIR/meta.json" <<'EOF'
import json, os, re, sys
e = os.environ
lines = open(os.path.join(e["FLOG"], "forge.log"), encoding="utf-8", errors="replace").read().splitlines()
problems = []
for i, ln in enumerate(lines):
    if re.match(r"^(warn|fail|crit):", ln):
        msg = lines[i + 1].strip() if i + 1 < len(lines) else ""
        problems.append(f"{ln.strip()} {msg}")
meta = {
    "mode": e["MODE"], "command": e["COMMAND"], "started": e["STARTED"], "finished": e["FINISHED"],
    "elapsed_s": int(e["ELAPSED"]),
    "phases": {k: int(v) for k, v in (p.split("=") for p in e["PHASES_STR"].split())},
    "forge_source": e["FORGE_SOURCE"], "forge_url": e["FORGE_URL"], "owner": e["OWNER"],
    "warmup_s": int(e["WARMUP"]), "load": e["LOAD"],
    "quiet_wait": {"max_s": int(e["WAIT_QUIET"]), "waited_s": int(e.get("QUIET_WAITED") or 0),
                   "cpu_busy_pct": float(e["QUIET_BUSY"]) if e.get("QUIET_BUSY") else None},
    "forge_target": "forge", "forge_git_target": "forge", "git_rounds": int(e.get("GIT_ROUNDS") or 0),
    "forge_cpu_s": float(e["FORGE_CPU"]) if e.get("FORGE_CPU") else None,
    "forge_peak_rss_mib": int(e["FORGE_HWM"]) if e.get("FORGE_HWM") else None,
    "log_problems": {"count": len(problems), "first": problems[:15]} if problems else None,
}
json.dump(meta, open(sys.argv[1], "w"), indent=1)
EOF
"${PY[@]}" summary --report-md "$RUNDIR/report.md" --report-json "$RUNDIR/report.json" \
    --checks "$RUNDIR/forge-checks.json" --meta "$RUNDIR/meta.json" --md "$OUT_MD" --json "$OUT_JSON"
cp "$OUT_MD" "$OUT_JSON" "$RUNDIR/"
log "done in $((SECONDS - T_START)) s: $OUT_MD (raw files in $RUNDIR and $BENCH_DATA/results/)"
