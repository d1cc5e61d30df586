#!/usr/bin/env bash
# Runs the JMH benchmarks (bitnet4j-bench) with the JVM flags the kernels need.
#   scripts/jmh.sh                      every benchmark, default settings
#   scripts/jmh.sh AbsmeanQuantizer -f 1 -wi 3 -i 5    a subset, JMH options passed through
#   BITNET4J_JAVA_OPTS="-Dbitnet4j.kernels.readahead=0" scripts/jmh.sh ...    extra options for the benchmark JVMs
#     (JMH takes one -jvmArgsAppend: a second one on the command line breaks the first's flags into one bad option)
# The jar is built first if missing or older than the sources.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/scripts/find-jdk.sh"
bitnet4j_find_jdk || exit 1
jar="$root/bitnet4j-bench/target/benchmarks.jar"
if [ ! -f "$jar" ] || [ -n "$(find "$root"/bitnet4j-core/src/main "$root"/bitnet4j-bench/src -newer "$jar" -print -quit)" ]; then
  (cd "$root" && ./mvnw -q -B -DskipTests -pl bitnet4j-bench -am package >&2)
fi
. "$root/scripts/kernel-flags.sh" # the launcher's kernel flags (the file says why)
exec "$JAVA_HOME/bin/java" -jar "$jar" -jvmArgsAppend "${bitnet4j_kernel_flags[*]} ${BITNET4J_JAVA_OPTS:-}" "$@"
