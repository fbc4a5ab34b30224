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
import urllib.request

import boto3

APP = os.environ["AWS_SETUP_APP"]
CLI = os.environ["AWS_SETUP_CLI"]
DEB = os.environ.get("AWS_SETUP_DEB", "")
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


def memory_tree_kb(pid, field):
    """Memory of a process and all its descendants (WebKit's helpers). `Pss`
    shares each shared page among the processes that map it, so libraries
    mapped by all of them count once; `Rss` counts them in every process."""
    children = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
                children.setdefault(ppid, []).append(int(entry))
            except (OSError, ValueError, IndexError):
                pass
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        stack.extend(children.get(p, []))
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                total += int(re.search(rf"^{field}:\s+(\d+)", f.read(), re.M).group(1))
        except (OSError, AttributeError):
            pass
    return total


def cold_start(runs=10):
    times, memory = [], None
    for i in range(runs):
        env = dict(os.environ, AWS_SETUP_REPORT_READY="1", XDG_DATA_HOME=tempfile.mkdtemp())
        start = time.perf_counter()
        proc = subprocess.Popen([APP], env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        for line in proc.stdout:
            if line.startswith("first-screen-ready-ms"):
                times.append(time.perf_counter() - start)
                break
        if i == runs - 1:
            time.sleep(5)
            memory = {"pss": memory_tree_kb(proc.pid, "Pss"), "rss": memory_tree_kb(proc.pid, "Rss")}
        proc.kill()
        proc.wait()
    return times, memory


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
    raw = [timed([CLI, "credential-process", "--profile", "bench"]) for _ in range(raw_runs)]
    shutil.rmtree(home, ignore_errors=True)
    return diffs, raw


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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", required=True)
    parser.add_argument("--readme", required=True)
    args = parser.parse_args()

    starts, memory_kb = cold_start()
    moto = Moto()
    diffs, raw = credential_process_cost(moto)
    moto.stop()
    moto = Moto()
    flow_wall, calls = walkthrough(moto)
    moto.stop()
    classes = {c: classroom(c) for c in (1, 4, 8)}
    account_classes = {c: classroom_accounts(c) for c in (1, 4, 8)}

    results = {
        "cold_start_ms": {"median": median_ms(starts), "iqr": spread_ms(starts), "min": round(min(starts) * 1000, 1), "max": round(max(starts) * 1000, 1), "runs": len(starts)},
        "idle_memory_mb": {k: round(v / 1024, 1) for k, v in memory_kb.items()} if memory_kb else None,
        "size_mb": {"gui": size_mb(APP), "cli": size_mb(CLI), "deb": size_mb(DEB)},
        "credential_process_overhead_ms": {"median_paired_difference": median_ms(diffs), "pairs": len(diffs)},
        "credential_process_raw_ms": {"median": median_ms(raw), "runs": len(raw)},
        "walkthrough": {"wall_s": round(flow_wall, 2), "aws_calls": sum(calls.values()), "minimum_calls": MINIMUM_CALLS, "calls": calls},
        "classroom_40_students_s": {str(c): {"create": round(a, 2), "teardown": round(b, 2)} for c, (a, b) in classes.items()},
        "classroom_accounts_30_students_s": {str(c): {"create": round(a, 2), "teardown": round(b, 2)} for c, (a, b) in account_classes.items()},
    }
    results["machine"] = this_machine()
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(results, f, indent=2)

    r = results
    rows = [
        ("cold start to interactive first screen (median of 10, IQR)", f"{r['cold_start_ms']['median']} ms (IQR {r['cold_start_ms']['iqr']} ms)", "≤ 300 ms"),
        ("idle memory, app + WebKit processes, 5 s after first screen (PSS; RSS summed)", f"{r['idle_memory_mb']['pss']} MB ({r['idle_memory_mb']['rss']} MB)", "≤ 150 MB"),
        ("release GUI binary", f"{r['size_mb']['gui']} MB", "≤ 15 MB"),
        ("release CLI binary", f"{r['size_mb']['cli']} MB", "—"),
        (".deb", f"{r['size_mb']['deb']} MB", "≤ 10 MB"),
        ("credential_process overhead per AWS CLI call (median of 20 paired differences)", f"{r['credential_process_overhead_ms']['median_paired_difference']} ms", "≤ 10 ms"),
        ("`aws-setup credential-process` alone, incl. keychain read (median of 50)", f"{r['credential_process_raw_ms']['median']} ms", "—"),
        ("headless walkthrough against moto", f"{r['walkthrough']['wall_s']} s, {r['walkthrough']['aws_calls']} AWS calls (minimum {MINIMUM_CALLS})", "—"),
    ]
    for c in ("1", "4", "8"):
        cl = r["classroom_40_students_s"][c]
        rows.append((f"classroom, 40 students at concurrency {c}: create / teardown", f"{cl['create']} s / {cl['teardown']} s", "≤ 10 s" if c == "8" else "—"))
    for c in ("1", "4", "8"):
        cl = r["classroom_accounts_30_students_s"][c]
        rows.append((f"classroom in accounts mode, 30 students at concurrency {c}: create / teardown (recycle)", f"{cl['create']} s / {cl['teardown']} s", "—"))
    table = "| measure | result | target |\n|---|---|---|\n" + "\n".join(f"| {a} | {b} | {c} |" for a, b, c in rows)
    stamp = time.strftime("%Y-%m-%d", time.gmtime())
    m = r["machine"]
    where = f"{m['cores']} cores ({m['cpu']}), {m['memory_gib']} GiB of memory"
    block = f"<!-- bench:start -->\nMeasured by `scripts/bench` on {stamp}, on {where}, against moto on loopback.\n\n{table}\n<!-- bench:end -->"
    with open(args.readme) as f:
        readme = f.read()
    if "<!-- bench:start -->" in readme:
        readme = re.sub(r"<!-- bench:start -->.*<!-- bench:end -->", lambda _: block, readme, flags=re.S)
    else:
        readme = readme.replace("Filled in by `scripts/bench` (not yet written).", block)
    with open(args.readme, "w") as f:
        f.write(readme)
    print(table)


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
