# Sourced by ./bitnet4j, ./mvnw and .ci/run: sets JAVA_HOME to a JDK whose major version is at
# least 25, or prints why it cannot and returns 1. Order: $JAVA_HOME, then the usual install
# locations (Debian/Ubuntu packages, Temurin, SDKMAN, /opt), then `java` on the PATH.

bitnet4j_jdk_major() { # prints the major version of the JDK at $1, or nothing
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  # Its release file (every JDK since 9 has one) names the version: reading it costs no JVM start, which asking the
  # JVM does (60 ms, paid by every ./bitnet4j command before its own JVM starts). A JDK without one is asked.
  local major=""
  if [ -f "$1/release" ]; then
    major=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$major" ]; then
    major=$("$1/bin/java" -XshowSettings:properties -version 2>&1 \
      | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1)
  fi
  echo "$major"
}

bitnet4j_find_jdk() {
  local want=25 candidate major noglob=0
  case $- in *f*) noglob=1; set +f ;; esac # callers such as mvnw run with globbing off
  for candidate in "${JAVA_HOME:-}" \
      /usr/lib/jvm/temurin-2[5-9]* /usr/lib/jvm/*-2[5-9]-* /usr/lib/jvm/*2[5-9]* \
      /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/2[5-9]* "$HOME"/.jdks/*2[5-9]* \
      "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -d "$candidate" ] || continue
    major=$(bitnet4j_jdk_major "$candidate")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      export JAVA_HOME="$candidate"
      [ "$noglob" = 1 ] && set -f
      return 0
    fi
  done
  [ "$noglob" = 1 ] && set -f
  echo "bitnet4j: no JDK $want or newer found." >&2
  echo "  Looked at \$JAVA_HOME (${JAVA_HOME:-unset}), /usr/lib/jvm, /opt, ~/.sdkman and the java on PATH." >&2
  echo "  Install a JDK 25 (for example Eclipse Temurin 25) and set JAVA_HOME to it." >&2
  return 1
}
