"""What each way of the admin's CLI access costs an AWS CLI call, against moto:
the handout's plain key through credential_process, MFA sessions served from
the keychain's cache, and a console sign-in (`aws login`, through the Sign-In
stand-in), each paired with a plaintext profile. moto's auth stays off: it
refuses every session token while it is on."""

import os
import shutil
import statistics
import subprocess
import tempfile
import time

CLI = os.environ["AWS_SETUP_CLI"]
AWS = os.environ["AWS_CLI_V2"]
STAND_IN = os.environ.get("SIGN_IN_STAND_IN", "")


def _median_ms(samples):
    return round(statistics.median(samples) * 1000, 1)


def cli_access_cost(moto, pairs=15):
    """Median paired difference (ms) of `aws sts get-caller-identity` through
    each way, against a plaintext profile of the same user."""
    moto.auth(False)
    key_id, secret = moto.admin("bench-access")
    serial = moto.iam(key_id, secret).create_virtual_mfa_device(VirtualMFADeviceName="bench-access")["VirtualMFADevice"]["SerialNumber"]
    home = tempfile.mkdtemp()
    os.makedirs(f"{home}/.aws")
    service = "aws-setup-bench-access"
    env = dict(os.environ, HOME=home, AWS_ENDPOINT_URL=moto.url, AWS_REGION="us-east-1", AWS_SETUP_KEYCHAIN_SERVICE=service)
    key_json = f'{{"AccessKeyId":"{key_id}","SecretAccessKey":"{secret}","UserName":"bench-access"}}'
    for profile in ("key", "session"):
        subprocess.run(["secret-tool", "store", "--label=bench", "service", service, "username", f"access-key/{profile}"], input=key_json, text=True, check=True, env=env)
    with open(f"{home}/.aws/config", "w") as f:
        f.write(
            f'[profile key]\nregion = us-east-1\ncredential_process = "{CLI}" credential-process --profile key\n\n'
            f'[profile session]\nregion = us-east-1\ncredential_process = "{CLI}" credential-process --profile session --mfa-session 12h\nmfa_serial = {serial}\n\n'
            "[profile plain]\nregion = us-east-1\n"
        )
    with open(f"{home}/.aws/credentials", "w") as f:
        f.write(f"[plain]\naws_access_key_id = {key_id}\naws_secret_access_key = {secret}\n")
    # The MFA session is started once, as a terminal user would; calls then hit the cache.
    subprocess.run([CLI, "mfa-session", "--profile", "session", "--code", "123456"], env=env, check=True, stdout=subprocess.DEVNULL)

    ways = ["key", "session"]
    stand_in = None
    if STAND_IN:
        stand_in = subprocess.Popen([STAND_IN, moto.url, key_id, secret, "bench-access"], stdout=subprocess.PIPE, text=True)
        url = stand_in.stdout.readline().split()[1]
        browser = f"{home}/browser.sh"
        with open(browser, "w") as f:
            f.write('#!/bin/sh\n(sleep 0.2; curl -sS -L -o /dev/null "$1") >/dev/null 2>&1 &\n')
        os.chmod(browser, 0o755)
        env.update(AWS_ENDPOINT_URL_SIGNIN=url, BROWSER=browser)
        subprocess.run([AWS, "login", "--profile", "login", "--region", "us-east-1"], env=env, check=True, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
        ways.append("login")

    def timed(profile):
        start = time.perf_counter()
        subprocess.run([AWS, "sts", "get-caller-identity", "--profile", profile], env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - start

    for way in ways + ["plain"]:
        timed(way)  # warm the file cache and each way's own cache
    diffs = {way: [] for way in ways}
    for _ in range(pairs):
        for way in ways:
            diffs[way].append(timed(way) - timed("plain"))
    # The app's own share: `credential-process` alone. A session's call also
    # costs the server its token check, which moto makes slower than AWS.
    alone = {"key": [CLI, "credential-process", "--profile", "key"], "session": [CLI, "credential-process", "--profile", "session", "--mfa-session", "12h"]}
    process_ms = {way: [] for way in alone}
    for _ in range(pairs):
        for way, cmd in alone.items():
            start = time.perf_counter()
            subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL)
            process_ms[way].append(time.perf_counter() - start)
    if stand_in:
        stand_in.kill()
    shutil.rmtree(home, ignore_errors=True)
    return {
        way: {
            "median_paired_difference_ms": _median_ms(samples),
            "pairs": len(samples),
            "credential_process_alone_ms": _median_ms(process_ms[way]) if way in process_ms else None,
        }
        for way, samples in diffs.items()
    }


LABELS = {
    "key": "plain key via `credential_process`",
    "session": "MFA session via `credential_process` (cache hit)",
    "login": "console sign-in (`aws login` session)",
}


def readme_rows(costs):
    """Rows for the README table: (measure, value, reference, ratio, target)."""
    alone = lambda c: f" (`credential-process` alone: {c['credential_process_alone_ms']} ms)" if c.get("credential_process_alone_ms") is not None else ""
    return [
        (f"AWS CLI call overhead, {LABELS[way]} (median of {c['pairs']} paired differences vs a plaintext profile)", f"{c['median_paired_difference_ms']} ms{alone(c)}", "—", "—", "≤ 10 ms")
        for way, c in costs.items()
    ]
