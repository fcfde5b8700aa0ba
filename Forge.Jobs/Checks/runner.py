# Forge's Python test runner (standard library only). It runs inside Forge's bubblewrap sandbox:
#   python3 -I /forge/runner.py FOLDER MAX_OUTPUT_BYTES      (the report nonce comes on standard input)
# The parent (this script without --worker) never imports the submission: it finds the tests by reading the test files'
# syntax trees, runs each file in a worker process whose output goes to a file, and prints the only report Forge reads,
# framed by a nonce that only it and Forge know. A worker's records can only say how the tests it was asked to run
# went; a test without a record (the worker exited, crashed, was killed) has failed. See README « Vérifications
# automatiques » for what this does and does not protect against.
import ast
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import traceback

SOURCE = "/src"
WORK = "/tmp/work"
MESSAGE_LIMIT = 2000


def short(text, limit=MESSAGE_LIMIT):
    text = str(text)
    return text if len(text) <= limit else text[:limit] + " […]"


def expected_tests(path):
    """The test names a file declares: module-level test_* functions and test* methods of *TestCase classes."""
    with open(path, "rb") as f:
        tree = ast.parse(f.read(), filename=path)
    names = []
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name.startswith("test"):
            names.append(node.name)
        elif isinstance(node, ast.ClassDef) and any(base_name(b).endswith("TestCase") for b in node.bases):
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) and item.name.startswith("test"):
                    names.append(node.name + "." + item.name)
    return names


def base_name(node):
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def discover(folder):
    root = os.path.realpath(os.path.join(WORK, folder))
    if not (root == WORK or root.startswith(WORK + "/")) or not os.path.isdir(root):
        return root, []
    found = []
    for directory, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
        for name in sorted(files):
            if name.endswith(".py") and (name.startswith("test_") or name.endswith("_test.py")):
                found.append(os.path.join(directory, name))
    return root, found


def signal_name(code):
    try:
        return signal.Signals(-code).name
    except ValueError:
        return str(-code)


def run_file(path, output_limit):
    relative = os.path.relpath(path, WORK)
    try:
        names = expected_tests(path)
    except SyntaxError as e:
        return {"file": relative, "tests": [{"name": relative, "passed": False,
                                             "message": short("SyntaxError: %s (ligne %s)" % (e.msg, e.lineno))}],
                "output": "", "truncated": False, "exit": None}
    read_end, write_end = os.pipe()
    worker = subprocess.Popen([sys.executable, "-I", "-u", os.path.abspath(__file__), "--worker", path, str(write_end)],
                              stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              cwd=os.path.dirname(path), pass_fds=(write_end,), start_new_session=True)
    os.close(write_end)
    captured = bytearray()
    dropped = [0]

    def drain():
        # Keeps the first output_limit bytes and reads the rest to nowhere: a print loop never fills memory nor blocks.
        while True:
            chunk = worker.stdout.read1(65536)
            if not chunk:
                break
            room = output_limit - len(captured)
            if room > 0:
                captured.extend(chunk[:room])
            dropped[0] += max(0, len(chunk) - max(room, 0))

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    records = {}
    with os.fdopen(read_end, "rb") as results:
        received = 0
        for line in results:
            received += len(line)
            if received > 1_000_000:
                break
            try:
                record = json.loads(line)
                name = record["name"]
                if name in names and name not in records:
                    records[name] = {"name": name, "passed": record.get("passed") is True,
                                     "message": short(record.get("message") or "")}
            except (ValueError, KeyError, TypeError):
                continue
    code = worker.wait()
    try:
        os.killpg(worker.pid, signal.SIGKILL)
    except OSError:
        pass
    if code < 0:
        why = "processus arrêté par le signal %s" % signal_name(code)
    elif code != 0:
        why = "le programme s'est terminé avec le code %d" % code
    else:
        why = "le programme s'est terminé avant ce test"
    tests = [records.get(n) or {"name": n, "passed": False, "message": "aucun résultat : " + why} for n in names]
    reader.join(2)
    return {"file": relative, "tests": tests, "output": bytes(captured).decode("utf-8", "replace"),
            "truncated": dropped[0] > 0, "exit": code}


def parent(folder, output_limit):
    nonce = sys.stdin.readline().strip()
    try:
        # Not dumpable: the workers (the submission) may not open /proc/<this>/fd/1 nor read this process's memory.
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(4, 0, 0, 0, 0)  # PR_SET_DUMPABLE, 0
    except Exception:
        pass
    shutil.copytree(SOURCE, WORK, symlinks=True, dirs_exist_ok=True)
    root, files = discover(folder)
    report = {"folder": folder, "found": os.path.isdir(root), "files": []}
    budget = output_limit
    for path in files:
        result = run_file(path, max(budget, 0))
        budget -= len(result["output"].encode("utf-8"))
        report["files"].append(result)
    sys.stdout.write("\n%s BEGIN\n%s\n%s END\n" % (nonce, json.dumps(report), nonce))
    sys.stdout.flush()


def worker(path, fd):
    results = os.fdopen(int(fd), "w", buffering=1)
    directory = os.path.dirname(path)
    sys.path[:0] = [directory, WORK]
    names = expected_tests(path)

    def record(name, passed, message=""):
        results.write(json.dumps({"name": name, "passed": passed, "message": message}) + "\n")

    import importlib.util
    import inspect
    import unittest
    try:
        spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
    except BaseException as e:
        message = "erreur au chargement du fichier : " + describe(e)
        for name in names:
            record(name, False, message)
        traceback.print_exc()
        return
    for name in names:
        if "." in name:
            class_name, method = name.split(".", 1)
            case = getattr(module, class_name, None)
            if not (isinstance(case, type) and issubclass(case, unittest.TestCase)):
                record(name, False, "classe de test introuvable")
                continue
            result = unittest.TestResult()
            case(method).run(result)
            problems = result.failures + result.errors
            record(name, not problems and result.testsRun == 1,
                   last_line(problems[0][1]) if problems else ("ignoré" if result.skipped else ""))
            continue
        function = getattr(module, name, None)
        if not callable(function):
            record(name, False, "fonction de test introuvable")
            continue
        try:
            if inspect.signature(function).parameters:
                record(name, False, "les paramètres de test (fixtures pytest) ne sont pas pris en charge")
                continue
            value = function()
            if inspect.iscoroutine(value):
                import asyncio
                asyncio.run(value)
            record(name, True)
        except BaseException as e:
            if isinstance(e, (SystemExit, KeyboardInterrupt)):
                record(name, False, describe(e))
                raise
            record(name, False, describe(e))
            traceback.print_exc()


def describe(e):
    if isinstance(e, AssertionError):
        frames = traceback.extract_tb(e.__traceback__)
        where = frames[-1] if frames else None
        detail = str(e) or (where.line if where and where.line else "")
        return short("AssertionError" + (" : " + detail if detail else "") + (" (ligne %d)" % where.lineno if where else ""))
    return short("%s : %s" % (type(e).__name__, e))


def last_line(formatted):
    lines = [l for l in formatted.strip().splitlines() if l.strip()]
    return short(lines[-1] if lines else "")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--worker":
        worker(sys.argv[2], sys.argv[3])
    else:
        parent(sys.argv[1], int(sys.argv[2]))
