#!/usr/bin/env python3
"""Where the grader's cold start goes: fc-host started by hand the way the runtime starts an
instance (same classpath order, heap and GC flags), without the runtime in between.

Usage: bench/grader/startup.py RUNS VARIANT...   (after bench/runtime/run.sh built the modules;
see docs/performance.md). A VARIANT is NAME=JDK:ARCHIVE:ENV[:JVM FLAGS], e.g.
  new-aot=25:deps:            JDK 25, AOT cache trained on host + dependencies (what the runtime does)
  new-full=25:full:           JDK 25, AOT cache trained on the whole classpath (function classes too)
  new-warm=25:deps:GRADER_WARMUP=1
  plain17=17:none:
  c1=25:deps::-XX:TieredStopAtLevel=1
  inv=25:invoker:             Google's java-function-invoker serving the same grader classes
  inv-aot=25:invoker-aot:     the invoker with an AOT cache (AppCDS on 17) trained by serving
                              the same grading once (the invoker has no training mode)
The invoker's jar comes from bench/coldstart/target/lib (bench/coldstart/run.sh fetches it).
An ENV entry _CLASSES=DIR grades with another grader's classes folder (a baseline, e.g. the
previous commit's, compiled by hand), with its own archive; CLASS_LOG=DIR writes
each run's -Xlog:class+load with uptime stamps there (one file per variant, the last run's).
Variants alternate run by run. Per run: process start to first graded answer (client-measured),
the host's initMs, the same request again, and the process's CPU time up to the first answer
(all its threads, from /proc/PID/task/*/schedstat). Prints a Markdown table.
"""
import json, os, shutil, socket, statistics, subprocess, sys, tempfile, time, zipfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
JDKS = {"25": "/usr/lib/jvm/temurin-25-jdk-amd64", "17": "/usr/lib/jvm/java-17-openjdk-amd64"}
PHOTO = os.path.join(ROOT, "grader-function/src/test/resources/io/fctoolkit/grader/sample/sample.jpg")
CLASSES = os.environ.get("GRADER_CLASSES", os.path.join(ROOT, "grader-function/target/classes"))


def host_jar():
    d = os.path.join(ROOT, "fc-host/target")
    jars = [f for f in os.listdir(d) if f.startswith("fc-host-") and f.endswith(".jar")
            and "sources" not in f and "tests" not in f]
    return os.path.join(d, sorted(jars)[0])


def deps():
    with open(os.path.join(ROOT, "grader-function/target/bench-runtime-classpath.txt")) as f:
        cp = [p for p in f.read().strip().split(":") if p.endswith(".jar")]
    api = [p for p in cp if "functions-framework-api" in p]
    if not api:  # provided scope: the image carries it
        m2 = os.path.expanduser("~/.m2/repository/com/google/cloud/functions/functions-framework-api")
        for dp, _, fs in os.walk(m2):
            api += [os.path.join(dp, f) for f in fs if f.endswith(".jar") and "sources" not in f]
        cp += sorted(api)[-1:]
    return cp


def jar_of(folder, out):
    with zipfile.ZipFile(out, "w") as z:
        for dp, _, fs in os.walk(folder):
            for f in sorted(fs):
                full = os.path.join(dp, f)
                z.write(full, os.path.relpath(full, folder))
    return out


def cpu_ns(pid):
    total = 0
    try:
        for t in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{t}/schedstat") as f:
                total += int(f.read().split()[0])
    except FileNotFoundError:
        pass
    return total


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def post(port, body, deadline):
    req = ("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
           f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n{body}").encode()
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
                s.sendall(req)
                data = b""
                while True:
                    chunk = s.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                return data.decode("utf-8", "replace")
        except (ConnectionRefusedError, ConnectionResetError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.002)


def base_env(port, photos):
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}
    env.update({"FUNCTION_TARGET": "io.fctoolkit.grader.GraderFunction", "PORT": str(port),
                "FC_BIND": "127.0.0.1", "GRADER_FILE_ROOTS": photos, "FC_CONCURRENCY": "20"})
    return env


INVOKER = os.path.join(ROOT, "bench/coldstart/target/lib/java-function-invoker.jar")


def is_invoker(kind):
    return kind.startswith("invoker")


def command(jdk, cp, flags, kind="host", port=0):
    java = [os.path.join(JDKS[jdk], "bin/java"), "-Xmx384m", "-XX:+UseSerialGC",
            "-XX:-UsePerfData", *flags, "-cp"]
    if is_invoker(kind):
        # The invoker's own shaded jar first, then the grader's dependencies and classes: the
        # class path it would have as a deployed function. Same heap and GC flags as fc-host.
        return java + [":".join([INVOKER, *cp[1:]]),
                       "com.google.cloud.functions.invoker.runner.Invoker",
                       "--target", "io.fctoolkit.grader.GraderFunction", "--port", str(port)]
    return java + [":".join(cp), "io.fctoolkit.host.FcHost"]


def train_invoker(name, jdk, work, cp, photos, body):
    """The invoker has no training mode: serve the grading once, then stop (archive at exit)."""
    archive = os.path.join(work, f"{name}-{jdk}." + ("aot" if jdk == "25" else "jsa"))
    flag = f"-XX:AOTCacheOutput={archive}" if jdk == "25" else f"-XX:ArchiveClassesAtExit={archive}"
    port = free_port()
    t0 = time.monotonic()
    p = subprocess.Popen(command(jdk, cp, [flag], "invoker", port), env=base_env(port, photos),
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        answer = post(port, body, t0 + 120)
        assert " 200 " in answer.split("\r\n")[0], answer[:500]
    finally:
        p.terminate()
        out, _ = p.communicate(timeout=120)
    if not os.path.exists(archive):
        sys.exit(f"training the invoker on {jdk} wrote no archive: {out[-2000:]}")
    print(f"- trained {os.path.basename(archive)} in {time.monotonic() - t0:.1f} s,"
          f" {os.path.getsize(archive) // 1024} KB", flush=True)
    return archive


def train(name, jdk, kind, extra_env, work, classes_jar, photos, body):
    if kind in ("none", "invoker"):
        return None
    if kind == "invoker-aot":
        return train_invoker(name, jdk, work, [host_jar(), *deps(), classes_jar], photos, body)
    prefix = [host_jar(), *deps()]
    archive = os.path.join(work, f"{name}-{kind}-{jdk}." + ("aot" if jdk == "25" else "jsa"))
    if os.path.exists(archive):
        return archive
    env = base_env(0, photos)
    env["FC_TRAIN"] = "1"
    env.update({k: v for k, v in extra_env.items() if not k.startswith("_")})
    if kind == "deps":
        env["FC_FUNCTION_CLASSPATH"] = classes_jar
        cp = prefix
    else:
        cp = prefix + [classes_jar]
    flag = f"-XX:AOTCacheOutput={archive}" if jdk == "25" else f"-XX:ArchiveClassesAtExit={archive}"
    t0 = time.monotonic()
    r = subprocess.run(command(jdk, cp, [flag]), env=env, capture_output=True, text=True)
    if r.returncode != 0 or not os.path.exists(archive):
        sys.exit(f"training {kind} on {jdk} failed: {r.stdout[-2000:]} {r.stderr[-2000:]}")
    print(f"- trained {os.path.basename(archive)} in {time.monotonic() - t0:.1f} s,"
          f" {os.path.getsize(archive) // 1024} KB", flush=True)
    return archive


def one(name, jdk, kind, archive, extra_env, jvm_flags, cp, photos, body):
    port = free_port()
    env = base_env(port, photos)
    env.update({k: v for k, v in extra_env.items() if not k.startswith("_")})
    flags = []
    if archive:
        flags = [f"-XX:AOTCache={archive}" if jdk == "25" else f"-XX:SharedArchiveFile={archive}"]
    flags += os.environ.get("EXTRA_FLAGS", "").split() + jvm_flags
    if os.environ.get("CLASS_LOG"):
        log = os.path.join(os.environ["CLASS_LOG"], name + ".txt")
        flags.append(f"-Xlog:class+load,startuptime:file={log}:uptime")
    t0 = time.monotonic()
    p = subprocess.Popen(command(jdk, cp, flags, kind, port), env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    try:
        first = post(port, body, t0 + 60)
        t1 = time.monotonic()
        cpu = cpu_ns(p.pid)
        second = post(port, body, t1 + 60)
        t2 = time.monotonic()
        assert " 200 " in first.split("\r\n")[0], first[:500]
        answer = json.loads(first.split("\r\n\r\n", 1)[1])
    finally:
        p.terminate()
        out, _ = p.communicate(timeout=30)
    init = None
    for line in out.splitlines():
        if '"ready"' in line:
            try:
                init = json.loads(line).get("initMs")
            except ValueError:
                pass
    return (t1 - t0) * 1000, init, (t2 - t1) * 1000, cpu / 1e6, answer


def main():
    runs = int(sys.argv[1])
    variants = []
    for spec in sys.argv[2:]:
        name, rest = spec.split("=", 1)
        parts = rest.split(":", 3)
        jdk, kind, env = parts[:3]
        flags = parts[3].split() if len(parts) > 3 else []
        extra = dict(kv.split("=", 1) for kv in env.split(",") if kv)
        variants.append((name, jdk, kind, extra, flags))
    work = tempfile.mkdtemp(prefix="grader-startup-")
    photos = os.path.join(work, "photos")
    os.makedirs(photos)
    shutil.copy(PHOTO, os.path.join(photos, "sample.jpg"))
    jars = {}
    for name, jdk, kind, extra, flags in variants:
        folder = extra.get("_CLASSES", CLASSES)
        if folder not in jars:
            jars[folder] = jar_of(folder, os.path.join(work, f"classes-{len(jars)}.jar"))
    classes_jar = {v[0]: jars[v[3].get("_CLASSES", CLASSES)] for v in variants}
    cps = {n: [host_jar(), *deps(), j] for n, j in classes_jar.items()}
    body = json.dumps({"submissionId": "bench-1", "studentId": "s-1",
                       "imageUri": "file://" + os.path.join(photos, "sample.jpg")})
    print(f"- load average at start: {open('/proc/loadavg').read().strip()}")
    print(f"- grader classes: {CLASSES}; EXTRA_FLAGS={os.environ.get('EXTRA_FLAGS', '')}")
    if any(is_invoker(v[2]) for v in variants) and not os.path.exists(INVOKER):
        sys.exit(f"no {INVOKER}: run bench/coldstart/run.sh once (or mvn -f bench/coldstart/pom.xml package)")
    archives = {v[0]: train(v[0], v[1], v[2], v[3], work, classes_jar[v[0]], photos, body)
                for v in variants}
    if os.environ.get("CLASS_LOG"):
        os.makedirs(os.environ["CLASS_LOG"], exist_ok=True)
    results = {v[0]: [] for v in variants}
    answers = {}
    for _ in range(runs):
        for name, jdk, kind, extra, flags in variants:
            r = one(name, jdk, kind, archives[name], extra, flags, cps[name], photos, body)
            t = r[4].get("timings", {})
            results[name].append(r[:4] + (t.get("decodeMs"), t.get("locateMs"),
                                          t.get("boxesMs"), t.get("totalMs")))
            a = dict(r[4])
            a.pop("timings", None)
            a.pop("graderVersion", None)
            answers.setdefault(json.dumps(a, sort_keys=True), []).append(name)
    print(f"- load average at end: {open('/proc/loadavg').read().strip()}")
    print(f"- distinct answers (timings and graderVersion left out): {len(answers)}")
    print()
    print("| variant | first answer p50 / p95 ms | initMs p50 | second request p50 ms |"
          " CPU to first answer p50 ms | first grading: decode / locate / boxes / total ms |")
    print("|---|---|---|---|---|---|")
    for name, *_ in variants:
        rs = results[name]
        col = lambda i: sorted(x[i] for x in rs if x[i] is not None)
        p = lambda xs, q: xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")
        print(f"| {name} | {statistics.median(col(0)):.0f} / {p(col(0), 0.95):.0f} |"
              f" {statistics.median(col(1)) if col(1) else float('nan'):.0f} |"
              f" {statistics.median(col(2)):.0f} | {statistics.median(col(3)):.0f} |"
              f" {' / '.join(f'{statistics.median(col(i)):.0f}' for i in range(4, 8))} |")
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
