#!/usr/bin/python3
"""A real ZooKeeper client for zkagent's integration tests and scripts/demo (kazoo).

    zk_client.py roundtrip WRITE_HOST:PORT READ_HOST:PORT PATH VALUE
        creates (or sets) PATH = VALUE through the first server, then reads it through the second
        (after a sync, so a follower has caught up) and checks the value; prints one line.

Exit codes: 0 ok, 1 the check failed, 2 usage, 3 kazoo cannot be imported.
Run it with /usr/bin/python3: Debian's python3-kazoo is installed for that interpreter only.
"""
import logging
import sys

TIMEOUT_SECONDS = 15.0


def fail(message, code=1):
    print(f"zk_client: {message}", file=sys.stderr)
    sys.exit(code)


def connect(hosts):
    client = KazooClient(hosts=hosts, timeout=TIMEOUT_SECONDS)
    try:
        client.start(timeout=TIMEOUT_SECONDS)
    except Exception as e:  # kazoo raises its own timeout type, and socket errors
        client.close()
        fail(f"cannot connect to {hosts}: {e!r}")
    return client


def roundtrip(write_hosts, read_hosts, path, value):
    writer = connect(write_hosts)
    try:
        writer.ensure_path(path.rsplit("/", 1)[0] or "/")
        if writer.exists(path):
            writer.set(path, value.encode())
        else:
            writer.create(path, value.encode())
    finally:
        writer.stop()
        writer.close()

    reader = connect(read_hosts)
    try:
        reader.sync(path)
        data, stat = reader.get(path)
    finally:
        reader.stop()
        reader.close()
    got = data.decode(errors="replace")
    if got != value:
        fail(f"read {path}={got!r} through {read_hosts}, wrote {value!r} through {write_hosts}")
    print(f"wrote {path}={value!r} through {write_hosts}, read it back through {read_hosts} "
          f"(version {stat.version})")


def main(argv):
    if len(argv) != 5 or argv[0] != "roundtrip":
        fail("usage: zk_client.py roundtrip WRITE_HOST:PORT READ_HOST:PORT PATH VALUE", 2)
    _, write_hosts, read_hosts, path, value = argv
    if not path.startswith("/") or path.endswith("/"):
        fail(f"PATH must be an absolute znode path: {path!r}", 2)
    roundtrip(write_hosts, read_hosts, path, value)


if __name__ == "__main__":
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr)
    try:
        from kazoo.client import KazooClient
    except ImportError as e:
        fail(f"cannot import kazoo ({e}): apt-get install python3-kazoo, and run this with /usr/bin/python3", 3)
    main(sys.argv[1:])
