#!/usr/bin/python3
"""The real ZooKeeper client of zkagent's chaos test (kazoo).

    chaos_client.py write HOSTS ACK_FILE STOP_FILE
        connects to the ensemble (HOSTS: "127.0.0.1:p1,127.0.0.1:p2,..."), creates sequential znodes
        /chaos/n-<seq> with the value "w-<k>" (k counts acknowledged writes) one after another, and
        appends "<path> <k>" to ACK_FILE for every create the ensemble acknowledged. A create that
        fails (connection loss, session expiry, timeout: members are being killed) is retried with
        the same value; it is not recorded, whether or not it was applied. Stops when STOP_FILE
        exists, then prints one summary line.

    chaos_client.py verify HOST ACK_FILE
        connects to that one member, syncs, and checks that every znode in ACK_FILE exists there with
        the value written; prints one line with the counts. Exit 1 when any is missing or wrong.

Exit codes: 0 ok, 1 a check failed, 2 usage, 3 kazoo cannot be imported, 4 cannot connect.
Run it with /usr/bin/python3: Debian's python3-kazoo is installed for that interpreter only.
"""
import logging
import os
import sys
import time

CONNECT_SECONDS = 30.0
SESSION_SECONDS = 6.0  # expires soon after a quorum loss, so the writer gets a new session quickly
PAUSE_SECONDS = 0.01   # between acknowledged writes: about 100 writes a second, a few thousand a run
REQUEST_SECONDS = 10.0  # one create: a request queued while no member serves must not block forever


def fail(message, code=1):
    print(f"chaos_client: {message}", file=sys.stderr, flush=True)
    sys.exit(code)


def client_for(hosts):
    from kazoo.client import KazooClient
    from kazoo.retry import KazooRetry
    client = KazooClient(hosts=hosts, timeout=SESSION_SECONDS,
                         connection_retry=KazooRetry(max_tries=-1, delay=0.1, backoff=1.5, max_delay=1.0))
    try:
        client.start(timeout=CONNECT_SECONDS)
    except Exception as e:  # kazoo's own timeout type, and socket errors
        client.close()
        fail(f"cannot connect to {hosts}: {e!r}", 4)
    return client


def write(hosts, ack_path, stop_path):
    from kazoo.exceptions import (ConnectionClosedError, ConnectionLoss, NodeExistsError, OperationTimeoutError,
                                  SessionExpiredError)
    from kazoo.handlers.threading import KazooTimeoutError
    transient = (ConnectionClosedError, ConnectionLoss, OperationTimeoutError, SessionExpiredError,
                 KazooTimeoutError)
    client = client_for(hosts)
    started = time.monotonic()
    acked = failed = 0
    while not os.path.exists(stop_path):  # /chaos itself, through the same failures
        try:
            client.create("/chaos", b"")
            break
        except NodeExistsError:
            break
        except transient:
            time.sleep(0.05)
    with open(ack_path, "a", buffering=1) as ack:  # one line per acknowledged write, as it happens
        while not os.path.exists(stop_path):
            value = f"w-{acked}".encode()
            try:
                path = client.create_async("/chaos/n-", value, sequence=True).get(timeout=REQUEST_SECONDS)
            except transient:
                failed += 1
                time.sleep(0.05)
                continue
            ack.write(f"{path} {acked}\n")
            acked += 1
            time.sleep(PAUSE_SECONDS)
    client.stop()
    client.close()
    print(f"wrote {acked} acknowledged znodes in {time.monotonic() - started:.1f} s; "
          f"{failed} attempts failed and were retried", flush=True)


def verify(host, ack_path):
    acked = []
    with open(ack_path) as f:
        for line in f:
            if not line.endswith("\n"):
                continue  # a line still being written when the writer was stopped: never acknowledged here
            path, k = line.split()
            acked.append((path, f"w-{k}".encode()))
    client = client_for(host)
    try:
        client.sync("/chaos")
        children = set(client.get_children("/chaos"))
        missing = [p for p, _ in acked if p.rsplit("/", 1)[1] not in children]
        wrong = []
        pending = [(p, v, client.get_async(p)) for p, v in acked if p.rsplit("/", 1)[1] in children]
        for p, v, result in pending:
            data, _ = result.get(timeout=30)
            if data != v:
                wrong.append(f"{p}={data!r} (wrote {v!r})")
    finally:
        client.stop()
        client.close()
    print(f"{host}: {len(acked) - len(missing) - len(wrong)} of {len(acked)} acknowledged znodes present with "
          f"their values; {len(missing)} missing, {len(wrong)} wrong; {len(children)} znodes under /chaos",
          flush=True)
    if missing or wrong:
        fail(f"lost or changed: {(missing + wrong)[:20]}")


def main(argv):
    if len(argv) == 4 and argv[0] == "write":
        write(argv[1], argv[2], argv[3])
    elif len(argv) == 3 and argv[0] == "verify":
        verify(argv[1], argv[2])
    else:
        fail("usage: chaos_client.py write HOSTS ACK_FILE STOP_FILE | verify HOST ACK_FILE", 2)


if __name__ == "__main__":
    logging.basicConfig(level=logging.ERROR, stream=sys.stderr)
    try:
        import kazoo.client  # noqa: F401
    except ImportError as e:
        fail(f"cannot import kazoo ({e}): apt-get install python3-kazoo, and run this with /usr/bin/python3", 3)
    main(sys.argv[1:])
