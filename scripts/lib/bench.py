"""The measurements behind scripts/bench. Run inside scripts/lib/hermetic."""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import tempfile
import time
import tomllib
import urllib.request

import boto3

import bench_cli_access

APP = os.environ["AWS_SETUP_APP"]
CLI = os.environ["AWS_SETUP_CLI"]
DEB = os.environ.get("AWS_SETUP_DEB", "")
REF = os.environ["AWS_SETUP_REFERENCE_APP"]
REF_DEB = os.environ.get("AWS_SETUP_REFERENCE_DEB", "")
AWS = os.environ["AWS_CLI_V2"]
MOTO = os.environ["MOTO_SERVER_BIN"]


class Moto:
    def __init__(self):
        env = dict(os.environ, MOTO_IAM_LOAD_MANAGED_POLICIES="true")
        self.proc = subprocess.Popen([MOTO, "-H", "127.0.0.1", "-p", "0"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        for line in self.proc.stderr:
            m = re.search(r"http://127\.0\.0\.1:\d+", line)
            if m:
                self.url = m.group(0)
                break
        # Keep draining stderr so the server never blocks.
        import threading

        threading.Thread(target=lambda: [None for _ in self.proc.stderr], daemon=True).start()

    def iam(self, key_id="AKIASEEDSEEDSEED0000", secret="seed" * 10):
        return boto3.client("iam", endpoint_url=self.url, region_name="us-east-1", aws_access_key_id=key_id, aws_secret_access_key=secret)

    def admin(self, name):
        iam = self.iam()
        iam.create_user(UserName=name)
        iam.attach_user_policy(UserName=name, PolicyArn="arn:aws:iam::aws:policy/AdministratorAccess")
        k = iam.create_access_key(UserName=name)["AccessKey"]
        return k["AccessKeyId"], k["SecretAccessKey"]

    def auth(self, on):
        req = urllib.request.Request(self.url + "/moto-api/reset-auth", data=b"0" if on else b"inf", headers={"Content-Type": "text/plain"}, method="POST")
        urllib.request.urlopen(req).read()

    def stop(self):
        self.proc.kill()


def median_ms(samples):
    return round(statistics.median(samples) * 1000, 1)


def spread_ms(samples):
    qs = statistics.quantiles(samples, n=4) if len(samples) >= 4 else [min(samples), 0, max(samples)]
    return round((qs[2] - qs[0]) * 1000, 1)


def process_tree(pid):
    """A process and all its descendants (WebKit's helper processes)."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    tree, stack = [], [pid]
    while stack:
        p = stack.pop()
        tree.append(p)
        stack.extend(children.get(p, []))
    return tree


def memory_per_process(pid):
    """Name, PSS and RSS in KiB of each process of the tree. `Pss` shares each
    shared page among the processes that map it, so libraries mapped by all of
    them count once in the sum; `Rss` counts them in every process."""
    rows = []
    for p in process_tree(pid):
        try:
            # The app's own process by its role, so the wizard's and the
            # reference's line up; WebKit's helpers by their names.
            with open(f"/proc/{p}/comm") as f:
                name = "app (main process)" if p == pid else f.read().strip()
            with open(f"/proc/{p}/smaps_rollup") as f:
                rollup = f.read()
            kb = {field: int(re.search(rf"^{field}:\s+(\d+)", rollup, re.M).group(1)) for field in ("Pss", "Rss")}
            rows.append({"name": name, "pss": kb["Pss"], "rss": kb["Rss"]})
        except (OSError, AttributeError):
            pass
    return rows


IDLE_S = 5


def first_screen(app):
    """One start of `app` in a fresh data folder: the seconds until it signals its
    first screen (the page's first script calling a command, timed from outside),
    then the memory of its process tree after IDLE_S seconds of idle."""
    env = dict(os.environ, AWS_SETUP_REPORT_READY="1", XDG_DATA_HOME=tempfile.mkdtemp())
    start = time.perf_counter()
    proc = subprocess.Popen([app], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        for line in proc.stdout:
            if line.startswith("first-screen-ready-ms"):
                elapsed = time.perf_counter() - start
                break
        else:
            raise RuntimeError(f"{app} exited without showing its first screen")
        time.sleep(IDLE_S)
        return elapsed, memory_per_process(proc.pid)
    finally:
        proc.kill()
        proc.wait()


def side_by_side(apps, runs=10):
    """Starts each app `runs` times, interleaved (A, B, A, B...), so that a
    machine slowing down or speeding up weighs on both alike."""
    samples = {name: {"times": [], "memory": []} for name in apps}
    for _ in range(runs):
        for name, app in apps.items():
            elapsed, processes = first_screen(app)
            samples[name]["times"].append(elapsed)
            samples[name]["memory"].append(processes)
    return samples


def memory_summary(runs):
    """Medians over the runs, in MB: the tree's PSS and RSS, and each kind of
    process (by name; processes of one name summed, with their count)."""
    mb = lambda kib: round(kib / 1024, 1)
    per_name = {}
    for processes in runs:
        seen = {}
        for p in processes:
            s = seen.setdefault(p["name"], {"count": 0, "pss": 0, "rss": 0})
            s["count"] += 1
            s["pss"] += p["pss"]
            s["rss"] += p["rss"]
        for name, s in seen.items():
            per_name.setdefault(name, []).append(s)
    return {
        "pss": mb(statistics.median(sum(p["pss"] for p in ps) for ps in runs)),
        "rss": mb(statistics.median(sum(p["rss"] for p in ps) for ps in runs)),
        "processes": {
            name: {
                "count": max(s["count"] for s in seen),
                "pss": mb(statistics.median(s["pss"] for s in seen)),
                "rss": mb(statistics.median(s["rss"] for s in seen)),
                "in_runs": len(seen),
            }
            for name, seen in per_name.items()
        },
    }


def credential_process_cost(moto, pairs=20, raw_runs=50):
    key_id, secret = moto.admin("bench-user")
    moto.auth(True)
    home = tempfile.mkdtemp()
    os.makedirs(f"{home}/.aws")
    service = "aws-setup-bench"
    env = dict(os.environ, HOME=home, AWS_ENDPOINT_URL=moto.url, AWS_REGION="us-east-1", AWS_SETUP_KEYCHAIN_SERVICE=service)
    secret_json = json.dumps({"AccessKeyId": key_id, "SecretAccessKey": secret})
    subprocess.run(["secret-tool", "store", "--label=bench", "service", service, "username", "access-key/bench"], input=secret_json, text=True, check=True, env=env)
    with open(f"{home}/.aws/config", "w") as f:
        f.write(f'[profile bench]\nregion = us-east-1\ncredential_process = "{CLI}" credential-process --profile bench\n\n[profile plain]\nregion = us-east-1\n')
    with open(f"{home}/.aws/credentials", "w") as f:
        f.write(f"[plain]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")

    def timed(cmd):
        start = time.perf_counter()
        subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    timed([AWS, "sts", "get-caller-identity", "--profile", "plain"])  # warm the file cache
    diffs = []
    for _ in range(pairs):
        ours = timed([AWS, "sts", "get-caller-identity", "--profile", "bench"])
        plain = timed([AWS, "sts", "get-caller-identity", "--profile", "plain"])
        diffs.append(ours - plain)
    # The CLI alone, and the CLI with the GUI's libraries (WebKitGTK, GTK and
    # theirs) loaded first, interleaved: what one binary for both roles would
    # cost every credential_process call in loading alone.
    cmd = [CLI, "credential-process", "--profile", "bench"]
    with_gui_libraries = ["env", "LD_PRELOAD=" + " ".join(gui_only_libraries()), *cmd]
    raw, raw_with_gui = [], []
    for _ in range(raw_runs):
        raw.append(timed(cmd))
        raw_with_gui.append(timed(with_gui_libraries))
    shutil.rmtree(home, ignore_errors=True)
    return diffs, raw, raw_with_gui


def linked_libraries(binary):
    out = subprocess.run(["ldd", binary], capture_output=True, text=True, check=True).stdout
    return dict(re.findall(r"^\s*(\S+) => (/\S+)", out, re.M))


def gui_only_libraries():
    """The shared libraries the GUI loads and the CLI does not."""
    cli = linked_libraries(CLI)
    return [path for name, path in linked_libraries(APP).items() if name not in cli]


def walkthrough(moto):
    key_id, secret = moto.admin("bootstrap-admin")
    moto.auth(True)
    home = tempfile.mkdtemp()
    env = dict(
        os.environ,
        HOME=home,
        AWS_SETUP_DATA_DIR=f"{home}/data",
        AWS_ENDPOINT_URL=moto.url,
        AWS_REGION="us-east-1",
        AWS_SETUP_KEYCHAIN_SERVICE="aws-setup-bench-flow",
        AWS_SETUP_COUNT_CALLS="1",
    )
    # The example, with the admin's console sign-in confirmed (moto has no console).
    config = f"{home}/setup.toml"
    with open("examples/setup.toml") as f:
        example = f.read()
    with open(config, "w") as f:
        f.write(example.replace("admin_sign_in_confirmed = false", "admin_sign_in_confirmed = true"))
    start = time.perf_counter()
    out = subprocess.run(
        [CLI, "run", "--config", config, "--mfa", "this-computer", "--bootstrap-stdin"],
        input=f"{key_id}\n{secret}\n",
        env=env,
        text=True,
        capture_output=True,
    )
    # Exit 4: the API steps are done and console tasks are listed (moto has no root MFA).
    if out.returncode not in (0, 4):
        raise RuntimeError(f"aws-setup run failed: {out.stderr}")
    wall = time.perf_counter() - start
    calls = json.loads(re.search(r"^aws-calls (.*)$", out.stderr, re.M).group(1))
    return wall, calls


def classroom(concurrency, students=40):
    moto = Moto()
    key_id, secret = moto.admin("instructor")
    moto.auth(True)
    home = tempfile.mkdtemp()
    roster = f"{home}/roster.csv"
    with open(roster, "w") as f:
        f.write("\n".join(f"student{i:02}" for i in range(1, students + 1)) + "\n")
    env = dict(
        os.environ,
        HOME=home,
        AWS_SETUP_DATA_DIR=f"{home}/data",
        AWS_ENDPOINT_URL=moto.url,
        AWS_REGION="us-east-1",
        AWS_ACCESS_KEY_ID=key_id,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_SETUP_KEYCHAIN_SERVICE=f"aws-setup-bench-class-{concurrency}",
    )
    run = lambda args: subprocess.run([CLI, "class", *args], env=env, check=True, capture_output=True)
    # The first IAM call after a start loads moto's managed policies: not ours to time.
    moto.iam(key_id, secret).list_users()
    start = time.perf_counter()
    run(["create", "--class-id", "bench", "--roster", roster, "--concurrency", str(concurrency), "--out-dir", home])
    created = time.perf_counter() - start
    start = time.perf_counter()
    run(["teardown", "--class-id", "bench", "--yes", "--concurrency", str(concurrency)])
    torn = time.perf_counter() - start
    moto.stop()
    shutil.rmtree(home, ignore_errors=True)
    return created, torn


def classroom_accounts(concurrency, students=30):
    """A class in accounts mode: an account per student, with guardrails, a
    budget and an Identity Center user each, then recycled into the pool.
    Auth stays off: moto's OrganizationAccountAccessRole has no policy."""
    moto = Moto()
    key_id, secret = moto.admin("instructor")
    home = tempfile.mkdtemp()
    roster = f"{home}/roster.csv"
    with open(roster, "w") as f:
        f.write("".join(f"student{i:02},Student {i},student{i:02}@school.example\n" for i in range(1, students + 1)))
    env = dict(
        os.environ,
        HOME=home,
        AWS_SETUP_DATA_DIR=f"{home}/data",
        AWS_ENDPOINT_URL=moto.url,
        AWS_REGION="us-east-1",
        AWS_ACCESS_KEY_ID=key_id,
        AWS_SECRET_ACCESS_KEY=secret,
        AWS_SETUP_KEYCHAIN_SERVICE=f"aws-setup-bench-accounts-{concurrency}",
    )
    run = lambda args: subprocess.run([CLI, "class", *args], env=env, check=True, capture_output=True)
    moto.iam(key_id, secret).list_users()
    # moto serves no Service Quotas for Organizations: the quota is given.
    create = ["create", "--mode", "accounts", "--class-id", "bench", "--roster", roster, "--instructor-email", "teacher@school.example"]
    start = time.perf_counter()
    run([*create, "--account-quota", "40", "--concurrency", str(concurrency), "--out-dir", home])
    created = time.perf_counter() - start
    start = time.perf_counter()
    run(["teardown", "--class-id", "bench", "--yes", "--concurrency", str(concurrency)])
    torn = time.perf_counter() - start
    moto.stop()
    shutil.rmtree(home, ignore_errors=True)
    return created, torn


def size_mb(path):
    return round(os.path.getsize(path) / 1_000_000, 2) if path and os.path.exists(path) else None


MINIMUM_CALLS = 20  # the README's per-step table, summed


def same_build_as_wizard(wizard_manifest="Cargo.toml", reference_manifest="bench/reference-app/Cargo.toml"):
    """The reference is only a baseline while it is built like the wizard: the
    same release profile and the same Tauri crates, versions and features."""
    with open(wizard_manifest, "rb") as f:
        wizard = tomllib.load(f)
    with open(reference_manifest, "rb") as f:
        reference = tomllib.load(f)
    tauri = lambda deps: {k: v for k, v in deps.items() if k.startswith("tauri")}
    if wizard["profile"]["release"] != reference["profile"]["release"]:
        raise SystemExit(f"{reference_manifest}: [profile.release] differs from {wizard_manifest}'s; copy it over")
    wizard_deps = tauri(wizard["dependencies"])
    # The wizard turns on custom-protocol through its default feature.
    wizard_deps["tauri"] = dict(wizard_deps["tauri"], features=sorted(wizard_deps["tauri"].get("features", []) + ["custom-protocol"]))
    if wizard_deps != tauri(reference["dependencies"]):
        raise SystemExit(f"{reference_manifest}: the Tauri crates differ from {wizard_manifest}'s: {wizard_deps}")


def timing(samples):
    return {"median": median_ms(samples), "iqr": spread_ms(samples), "min": round(min(samples) * 1000, 1), "max": round(max(samples) * 1000, 1), "runs": len(samples)}


def ratio(ours, reference):
    return round(ours / reference, 2) if ours is not None and reference else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--readme", required=True)
    parser.add_argument("--runs", type=int, default=10, help="starts of each app, interleaved")
    args = parser.parse_args()

    same_build_as_wizard()
    starts = side_by_side({"wizard": APP, "reference": REF}, args.runs)
    moto = Moto()
    diffs, raw, raw_with_gui = credential_process_cost(moto)
    access = bench_cli_access.cli_access_cost(moto)
    moto.stop()
    moto = Moto()
    flow_wall, calls = walkthrough(moto)
    moto.stop()
    classes = {c: classroom(c) for c in (1, 4, 8)}
    account_classes = {c: classroom_accounts(c) for c in (1, 4, 8)}

    wizard, reference = starts["wizard"], starts["reference"]
    first = {"wizard": timing(wizard["times"]), "reference": timing(reference["times"])}
    first["ratio"] = ratio(first["wizard"]["median"], first["reference"]["median"])
    memory = {"wizard": memory_summary(wizard["memory"]), "reference": memory_summary(reference["memory"]), "idle_s": IDLE_S}
    memory["ratio"] = {k: ratio(memory["wizard"][k], memory["reference"][k]) for k in ("pss", "rss")}
    sizes = {"wizard": {"gui": size_mb(APP), "cli": size_mb(CLI), "deb": size_mb(DEB)}, "reference": {"gui": size_mb(REF), "deb": size_mb(REF_DEB)}}
    sizes["ratio"] = {k: ratio(sizes["wizard"][k], sizes["reference"][k]) for k in ("gui", "deb")}
    results = {
        "first_screen_ms": first,
        "idle_memory_mb": memory,
        "size_mb": sizes,
        "credential_process_overhead_ms": {"median_paired_difference": median_ms(diffs), "pairs": len(diffs)},
        "credential_process_raw_ms": {"median": median_ms(raw), "with_gui_libraries": median_ms(raw_with_gui), "runs": len(raw)},
        "cli_access_overhead_ms": access,
        "walkthrough": {"wall_s": round(flow_wall, 2), "aws_calls": sum(calls.values()), "minimum_calls": MINIMUM_CALLS, "calls": calls},
        "classroom_40_students_s": {str(c): {"create": round(a, 2), "teardown": round(b, 2)} for c, (a, b) in classes.items()},
        "classroom_accounts_30_students_s": {str(c): {"create": round(a, 2), "teardown": round(b, 2)} for c, (a, b) in account_classes.items()},
        "date": time.strftime("%Y-%m-%d", time.gmtime()),
        "machine": this_machine(),
    }
    os.makedirs(os.path.dirname(args.out) or ".", exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)
        f.write("\n")
    block = readme_block(results)
    with open(args.readme) as f:
        readme = f.read()
    readme = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda _: block, readme, flags=re.S)
    with open(args.readme, "w") as f:
        f.write(readme)
    print(block)


def readme_block(r):
    """The README's Performance section: the wizard beside the reference app,
    measured in the same run, and each process's share of the idle memory."""
    f, m, s = r["first_screen_ms"], r["idle_memory_mb"], r["size_mb"]
    x = lambda v: f"{v}×" if v is not None else "—"
    cp = r["credential_process_raw_ms"]
    runs = f["wizard"]["runs"]
    rows = [
        (f"time to first screen (median of {runs}, IQR)", f"{f['wizard']['median']} ms (IQR {f['wizard']['iqr']})", f"{f['reference']['median']} ms (IQR {f['reference']['iqr']})", x(f["ratio"]), "≤ 1.0×"),
        (f"idle memory of the process tree, {m['idle_s']} s after first screen: PSS (median of {runs})", f"{m['wizard']['pss']} MB", f"{m['reference']['pss']} MB", x(m["ratio"]["pss"]), "≤ 1.1×"),
        ("the same, RSS summed over the processes", f"{m['wizard']['rss']} MB", f"{m['reference']['rss']} MB", x(m["ratio"]["rss"]), "—"),
        ("release GUI binary", f"{s['wizard']['gui']} MB", f"{s['reference']['gui']} MB", x(s["ratio"]["gui"]), "≤ 15 MB"),
        ("release CLI binary", f"{s['wizard']['cli']} MB", "—", "—", "—"),
        (".deb", f"{s['wizard']['deb']} MB", f"{s['reference']['deb']} MB", x(s["ratio"]["deb"]), "≤ 8 MB"),
        (f"credential_process overhead per AWS CLI call (median of {r['credential_process_overhead_ms']['pairs']} paired differences vs a plaintext profile)", f"{r['credential_process_overhead_ms']['median_paired_difference']} ms", "—", "—", "≤ 10 ms"),
        (f"`aws-setup credential-process` alone, incl. keychain read (median of {cp['runs']})", f"{cp['median']} ms", "—", "—", "—"),
        ("the same with the GUI's libraries loaded first (what one binary for both roles would cost)", f"{cp['with_gui_libraries']} ms", "—", "—", "—"),
        *bench_cli_access.readme_rows(r.get("cli_access_overhead_ms", {})),
        ("headless walkthrough against moto", f"{r['walkthrough']['wall_s']} s, {r['walkthrough']['aws_calls']} AWS calls (minimum {MINIMUM_CALLS})", "—", "—", "—"),
    ]
    for c in ("1", "4", "8"):
        cl = r["classroom_40_students_s"][c]
        rows.append((f"classroom, 40 students at concurrency {c}: create / teardown", f"{cl['create']} s / {cl['teardown']} s", "—", "—", "≤ 10 s" if c == "8" else "—"))
    # Absent from results written before accounts mode was measured.
    for c, cl in r.get("classroom_accounts_30_students_s", {}).items():
        rows.append((f"classroom in accounts mode, 30 students at concurrency {c}: create / teardown (recycle)", f"{cl['create']} s / {cl['teardown']} s", "—", "—", "—"))
    table = "| measure | wizard | reference | ratio | target |\n|---|---|---|---|---|\n" + "\n".join("| " + " | ".join(row) + " |" for row in rows)
    names = sorted(set(m["wizard"]["processes"]) | set(m["reference"]["processes"]))
    cell = lambda side, name: (lambda p: f"{p['pss']} MB ({p['rss']} MB) ×{p['count']}" if p else "—")(m[side]["processes"].get(name))
    per_process = "| process | wizard: PSS (RSS) × count | reference: PSS (RSS) × count |\n|---|---|---|\n" + "\n".join(f"| {n} | {cell('wizard', n)} | {cell('reference', n)} |" for n in names)
    mc = r["machine"]
    where = f"{mc['cores']} cores ({mc['cpu']}), {mc['memory_gib']} GiB of memory"
    return (
        f"<!-- bench:start -->\nMeasured by `scripts/bench` on {r['date']}, on {where}, against moto on loopback. "
        "The reference is `bench/reference-app`, a hello-world Tauri app with the same Tauri version, plugins and release profile and one static page, "
        f"built in the same target folder and started interleaved with the wizard in the same run (A, B, A, B…, {runs} each). "
        "Both print `first-screen-ready-ms` when their page's first script calls a command; the time is taken from outside, from the start of the process. "
        "To reproduce: `scripts/bench` (Debian or Ubuntu; it installs what it needs). The raw numbers are in `docs/bench-results.json`.\n\n"
        f"{table}\n\nIdle memory per process (median of {runs}; processes of one name summed):\n\n{per_process}\n<!-- bench:end -->"
    )


def this_machine():
    """The machine that measured: its cores, CPU model and memory, read here."""
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("MemTotal:"))
    return {"cores": os.cpu_count(), "cpu": cpu, "memory_gib": round(kib / 1024 / 1024, 1)}


if __name__ == "__main__":
    main()
