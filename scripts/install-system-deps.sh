#!/usr/bin/env bash
# Installs the Debian packages the test suite drives for real, when missing.
# Needs root (as on CI and the dev machines); otherwise it says what is missing
# and the tests that need them skip.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v rapper >/dev/null 2>&1 || need+=(raptor2-utils)
command -v virtuoso-t >/dev/null 2>&1 || need+=(virtuoso-opensource-7-bin)
[ -f /usr/share/java/jena-arq.jar ] || need+=(libapache-jena-java)
command -v java >/dev/null 2>&1 || need+=(default-jre-headless)  # riot (Jena) needs a Java runtime
[ ${#need[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "install-system-deps: not root; missing Debian packages: ${need[*]} (tests needing them will skip)" >&2
    exit 0
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
