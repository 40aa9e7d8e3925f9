#!/usr/bin/env bash
# Installs what FedLearn needs from the operating system, and nothing more:
#   1. a libstdc++ that exports GLIBCXX_3.4.32 (GCC 13 or later), which TorchSharp 0.107's native library needs.
#      On Debian 12 it comes from Debian 13 (trixie): the suite is added with a low apt pin (priority 100), so
#      only the packages asked for by name (-t trixie) come from it and everything else stays on Debian 12.
#      libstdc++6 from trixie needs trixie's libc6, which in turn needs trixie's base-files, so apt upgrades those
#      too (about 30 packages, ~32 MB); afterwards /etc/os-release reports Debian 13.
#   2. the Fashion-MNIST data set (Debian package dataset-fashion-mnist) when it is not already present.
#   3. for the deployment tests: kubectl (kubectl kustomize), promtool (Debian's prometheus package), and Node.js with
#      the Kubernetes manifest validator's npm packages, pinned in samples/k8s/validate/package-lock.json.
# Idempotent: a second run finds everything in place and changes nothing. Run as root (sudo) when it has work to do.
set -euo pipefail

readonly REQUIRED_SYMBOL="GLIBCXX_3.4.32"
readonly TRIXIE_SOURCES="/etc/apt/sources.list.d/fedlearn-trixie.sources"
readonly TRIXIE_PIN="/etc/apt/preferences.d/fedlearn-trixie"
readonly DATASET_DIR="/usr/share/datasets/fashion-mnist"
readonly DATASET_PACKAGE="dataset-fashion-mnist"

apt_updated=0

log() { printf 'install-prereqs: %s\n' "$*"; }
fail() { printf 'install-prereqs: error: %s\n' "$*" >&2; exit 1; }

require_root() {
  if [[ ${EUID} -ne 0 ]]; then
    fail "$1 needs root; run: sudo bash $0"
  fi
}

apt_update_once() {
  if [[ ${apt_updated} -eq 0 ]]; then
    log "apt-get update"
    apt-get update
    apt_updated=1
  fi
}

# The libstdc++.so.6 the dynamic loader picks for this machine's architecture (first in the ldconfig cache).
find_libstdcxx() {
  local abi=""
  case "$(uname -m)" in
    x86_64) abi="x86-64" ;;
    aarch64) abi="AArch64" ;;
  esac
  ldconfig -p | awk -v abi="${abi}" '
    $1 == "libstdc++.so.6" && (abi == "" || index($0, abi) > 0) { print $NF; exit }'
}

has_required_symbol() {
  local lib
  lib="$(find_libstdcxx)"
  [[ -n ${lib} && -r ${lib} ]] || return 1
  # grep -a reads the shared object as text; the version names are plain strings in it (no binutils needed).
  grep -qaF "${REQUIRED_SYMBOL}" "${lib}"
}

# Writes a file only when its content differs, so a second run leaves it (and its timestamp) untouched.
write_if_changed() {
  local path="$1" content="$2"
  if [[ -f ${path} ]] && [[ "$(cat "${path}")" == "${content}" ]]; then
    log "${path} is already in place"
    return 0
  fi
  log "writing ${path}"
  printf '%s\n' "${content}" > "${path}"
}

# The Debian archive this machine already uses for its main suite (so trixie comes from the same mirror).
# FEDLEARN_DEBIAN_MIRROR overrides it.
debian_mirror() {
  if [[ -n ${FEDLEARN_DEBIAN_MIRROR:-} ]]; then
    printf '%s\n' "${FEDLEARN_DEBIAN_MIRROR}"
    return 0
  fi
  local file
  # deb822 sources: the URIs of the first stanza whose Suites name bookworm (not bookworm-security).
  for file in /etc/apt/sources.list.d/*.sources; do
    [[ -r ${file} ]] || continue
    awk '
      /^[[:space:]]*$/ { if (uri != "" && suite) { print uri; exit } uri = ""; suite = 0; next }
      $1 == "URIs:" { uri = $2 }
      $1 == "Suites:" { for (i = 2; i <= NF; i++) if ($i == "bookworm") suite = 1 }
      END { if (uri != "" && suite) print uri }
    ' "${file}" | head -n 1
  done | head -n 1 | grep . && return 0
  # One-line sources: "deb URI bookworm main ...".
  if [[ -r /etc/apt/sources.list ]]; then
    awk '$1 == "deb" && $3 == "bookworm" { print $2; exit }' /etc/apt/sources.list | grep . && return 0
  fi
  return 1
}

install_libstdcxx_from_trixie() {
  require_root "Installing libstdc++6 from Debian 13 (trixie)"
  local mirror
  mirror="$(debian_mirror)" || fail "found no Debian 12 (bookworm) apt source to take the mirror from; set FEDLEARN_DEBIAN_MIRROR to your Debian archive URI"
  write_if_changed "${TRIXIE_SOURCES}" "# Added by FedLearn's eng/install-prereqs.sh: libstdc++6 with ${REQUIRED_SYMBOL} for TorchSharp.
Types: deb
URIs: ${mirror}
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg"
  write_if_changed "${TRIXIE_PIN}" "# Added by FedLearn's eng/install-prereqs.sh: take from trixie only what is asked for with -t trixie.
Package: *
Pin: release n=trixie
Pin-Priority: 100"
  # The source list just changed (or was never read), so refresh the index even if it was refreshed before.
  log "apt-get update"
  apt-get update
  apt_updated=1
  log "apt-get install -y -t trixie libstdc++6"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie libstdc++6
  ldconfig
  has_required_symbol || fail "libstdc++6 from trixie was installed but $(find_libstdcxx) still lacks ${REQUIRED_SYMBOL}"
  log "$(find_libstdcxx) now exports ${REQUIRED_SYMBOL}"
}

ensure_libstdcxx() {
  if has_required_symbol; then
    log "libstdc++ ($(find_libstdcxx)) already exports ${REQUIRED_SYMBOL}: nothing to do"
    return 0
  fi

  log "libstdc++ ($(find_libstdcxx || true)) lacks ${REQUIRED_SYMBOL}, which TorchSharp 0.107 needs"
  local id="" version=""
  if [[ -r /etc/os-release ]]; then
    # shellcheck disable=SC1091
    id="$(. /etc/os-release && echo "${ID:-}")"
    version="$(. /etc/os-release && echo "${VERSION_ID:-}")"
  fi
  if [[ ${id} == "debian" && ${version} == "12" ]]; then
    install_libstdcxx_from_trixie
  else
    fail "this system (${id:-unknown} ${version:-unknown}) needs a libstdc++ with ${REQUIRED_SYMBOL} (GCC 13 or later, e.g. Ubuntu 24.04 or Debian 13); this script only knows how to add it on Debian 12"
  fi
}

ensure_dataset() {
  if [[ -d ${DATASET_DIR} ]]; then
    log "${DATASET_DIR} is present: nothing to do"
    return 0
  fi
  require_root "Installing ${DATASET_PACKAGE}"
  apt_update_once
  log "apt-get install -y ${DATASET_PACKAGE}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y "${DATASET_PACKAGE}"
}

# kubectl renders the Kubernetes samples (kubectl kustomize) in the deployment tests. Debian 12's kubernetes-client
# (1.20) bundles a kustomize too old for the samples, so it comes from trixie like libstdc++ above.
ensure_kubectl() {
  if command -v kubectl > /dev/null 2>&1; then
    log "kubectl is present ($(command -v kubectl)): nothing to do"
    return 0
  fi
  require_root "Installing kubectl"
  if [[ ! -f ${TRIXIE_SOURCES} ]]; then
    install_libstdcxx_from_trixie
  fi
  apt_update_once
  log "apt-get install -y -t trixie kubernetes-client"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -t trixie kubernetes-client
}

# promtool (Debian's prometheus package) checks the Prometheus scrape configuration and exposition.
# The package's own Prometheus service is not needed: it is stopped and disabled when systemd runs it.
ensure_promtool() {
  if command -v promtool > /dev/null 2>&1; then
    log "promtool is present: nothing to do"
    return 0
  fi
  require_root "Installing promtool (package prometheus)"
  apt_update_once
  log "apt-get install -y --no-install-recommends prometheus"
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends prometheus
  if command -v systemctl > /dev/null 2>&1 && systemctl is-system-running > /dev/null 2>&1; then
    systemctl disable --now prometheus > /dev/null 2>&1 || true
  fi
}

# Node.js and the pinned npm packages of the Kubernetes manifest validator (samples/k8s/validate).
ensure_k8s_validator() {
  local dir
  dir="$(cd "$(dirname "$0")/.." && pwd)/samples/k8s/validate"
  if ! command -v node > /dev/null 2>&1 || ! command -v npm > /dev/null 2>&1; then
    require_root "Installing Node.js"
    apt_update_once
    log "apt-get install -y nodejs npm"
    DEBIAN_FRONTEND=noninteractive apt-get install -y nodejs npm
  fi
  # 'npm ls' succeeds only when node_modules matches package-lock.json exactly.
  if (cd "${dir}" && npm ls --all > /dev/null 2>&1); then
    log "${dir}/node_modules matches package-lock.json: nothing to do"
    return 0
  fi
  log "npm ci in ${dir}"
  (cd "${dir}" && npm ci --no-audit --no-fund --loglevel=error)
}

ensure_libstdcxx
ensure_dataset
ensure_kubectl
ensure_promtool
ensure_k8s_validator
log "done"
