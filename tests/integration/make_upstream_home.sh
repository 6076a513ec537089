#!/bin/bash
# Builds an upstream-style ZooKeeper home (HOME_DIR/lib/*.jar, logback logging as in 3.8+) from
# Debian's jars, because no upstream tarball can be downloaded here. The result runs with
#   java -cp CONF:HOME_DIR/lib/* org.apache.zookeeper.server.quorum.QuorumPeerMain CONF/zoo.cfg
# given a CONF/logback.xml. Needs the Debian packages zookeeper (libzookeeper-java) and liblogback-java.
# Jars are copied (not linked) so the home also works when mounted into a container.
set -euo pipefail

java_dir=${JAVA_DIR:-/usr/share/java}

usage() { echo "usage: $0 HOME_DIR" >&2; exit 2; }
die() { echo "$0: $*" >&2; exit 1; }

[[ $# -eq 1 && -n $1 ]] || usage
home=$1

[[ -f $java_dir/zookeeper.jar ]] || die "$java_dir/zookeeper.jar missing: apt-get install zookeeper"
for jar in logback-classic logback-core; do
  [[ -f $java_dir/$jar.jar ]] || die "$java_dir/$jar.jar missing: apt-get install liblogback-java"
done
command -v unzip >/dev/null || die "unzip is needed to read zookeeper.jar's manifest (apt-get install unzip)"
command -v zip >/dev/null || die "zip is needed to rewrite zookeeper.jar's manifest (apt-get install zip)"

# Upstream names jars NAME-VERSION.jar; Debian keeps such names as symlinks (or as the real file)
# next to the unversioned NAME.jar. Prefer the versioned name so the home looks like a tarball's.
versioned_name() {
  local jar=$1 name target candidate
  name=$(basename "$jar" .jar)
  target=$(readlink -f "$jar")
  if [[ $(basename "$target") == "$name"-[0-9]*.jar ]]; then
    basename "$target"
    return
  fi
  for candidate in "$java_dir/$name"-[0-9]*.jar; do
    if [[ -e $candidate && $(readlink -f "$candidate") == "$target" ]]; then
      basename "$candidate"
      return
    fi
  done
  basename "$jar"
}

# The server's dependencies are the Class-Path of zookeeper.jar's manifest (folded at 72 columns).
class_path=$(unzip -p "$java_dir/zookeeper.jar" META-INF/MANIFEST.MF | tr -d '\r' |
  awk '/^Class-Path:/ { on = 1; sub(/^Class-Path: /, ""); printf "%s", $0; next }
       on && /^ / { printf "%s", substr($0, 2); next }
       { on = 0 }')
[[ -n $class_path ]] || die "no Class-Path in $java_dir/zookeeper.jar's manifest"

mkdir -p "$home/lib"
lib=$(cd "$home/lib" && pwd -P)
rm -f "$lib"/*.jar

zk_name=$(versioned_name "$java_dir/zookeeper.jar")
[[ $zk_name == zookeeper-[0-9]*.jar ]] || die "cannot tell the ZooKeeper version: no zookeeper-X.Y.Z.jar in $java_dir"
cp -L "$java_dir/zookeeper.jar" "$lib/$zk_name"
# Debian's manifest points at /usr/share/java: drop that Class-Path so the JVM loads only lib/ (as with
# a real tarball) and a missing jar here shows up as a failure instead of being found in /usr/share/java.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/META-INF"
unzip -p "$lib/$zk_name" META-INF/MANIFEST.MF | tr -d '\r' |
  awk '/^Class-Path:/ { skip = 1; next } skip && /^ / { next } { skip = 0; printf "%s\r\n", $0 }' \
  > "$work/META-INF/MANIFEST.MF"
(cd "$work" && zip -q "$lib/$zk_name" META-INF/MANIFEST.MF)

for dep in $class_path; do
  if [[ ! -e $dep ]]; then
    # jline is listed but only zkCli needs it; nothing the server loads is optional.
    echo "$0: note: $dep (from the manifest) is not installed; skipped" >&2
    continue
  fi
  cp -L "$dep" "$lib/$(versioned_name "$dep")"
done

# logback instead of Debian's slf4j-log4j12, as upstream 3.8+ ships; servlet-api for the AdminServer.
for jar in logback-classic logback-core servlet-api; do
  [[ -e $java_dir/$jar.jar ]] || die "$java_dir/$jar.jar missing"
  cp -L "$java_dir/$jar.jar" "$lib/$(versioned_name "$java_dir/$jar.jar")"
done

ls "$lib"
