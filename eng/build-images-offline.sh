#!/usr/bin/env bash
# Builds the server and client container images (samples/FedLearn.Samples.{Server,Client}/Dockerfile) on a machine
# that has no Docker engine and cannot reach the .NET container registry, then starts them once to check they work.
#
#   1. podman, buildah, runc and debootstrap from apt (when missing).
#   2. Stand-in base images, tagged locally, with the role of the official ones:
#        localhost/fedlearn-standin/base:trixie   Debian 13 minbase root file system made by debootstrap
#        localhost/fedlearn-standin/sdk:10.0      + this machine's .NET SDK installation (the `dotnet` on PATH)
#        localhost/fedlearn-standin/aspnet:10.0   + only its shared runtimes and host (no SDK)
#      Their Containerfiles are in eng/container-standins/. Debian 13 is used because its libstdc++ exports
#      GLIBCXX_3.4.32, which TorchSharp's native library needs (as Ubuntu 24.04's, under the official aspnet:10.0, does).
#   3. The two images from the repository's Dockerfiles, unchanged but for --build-arg SDK_IMAGE / RUNTIME_IMAGE,
#      built from a clean clone of the committed HEAD. The NuGet restore inside the build stage runs offline: this
#      machine's NuGet global packages folder is mounted read-only at /root/.nuget/packages for the build only (it is
#      not part of any layer), and eng/container-standins/OfflineBuild.targets is mounted as an MSBuild user
#      extension that turns NuGet's vulnerability audit off (it needs the online registry; NU1900 otherwise). The
#      runtime stage's `apt-get install libgomp1` reaches the Debian archive as usual.
#   4. A smoke test (skip with FEDLEARN_IMAGES_SKIP_RUN=1): development certificates made by the server image's own
#      `certs` tool, the server started with Fashion-MNIST mounted, /healthz and /metrics fetched, one client started
#      against it for one round; both must exit 0. Containers use the host network (ports on this machine only).
#
# What this VM needs (Firecracker guest, cgroups v1/v2 hybrid): buildah with --isolation chroot builds without
# cgroups or namespaces of its own; podman runs with runc (crun 1.8 refuses hybrid cgroups) and with explicit
# ulimits (the defaults podman asks for, nofile 1048576 and a raised nproc, are refused: EPERM from setrlimit).
#
# Idempotent: stand-in images that exist are kept (FEDLEARN_IMAGES_REBUILD_STANDINS=1 rebuilds them); the two
# application images are rebuilt every run. Slow (about 15 minutes from nothing on 2 cores) and root-only; not part
# of .ci/run.
#
# Environment:
#   FEDLEARN_IMAGES_WORKDIR   scratch folder (default /var/tmp/fedlearn-images)
#   FEDLEARN_DEBIAN_MIRROR    Debian archive for debootstrap (default http://deb.debian.org/debian)
#   FEDLEARN_DATA             Fashion-MNIST folder for the smoke test (default /usr/share/datasets/fashion-mnist)
#   NUGET_PACKAGES            NuGet global packages folder to restore from (default ~/.nuget/packages)
#   FEDLEARN_IMAGES_TAG       tag of the application images (default offline)
set -euo pipefail

readonly REPO_ROOT="$(cd "$(dirname "$0")/.." && pwd)"
readonly WORKDIR="${FEDLEARN_IMAGES_WORKDIR:-/var/tmp/fedlearn-images}"
readonly MIRROR="${FEDLEARN_DEBIAN_MIRROR:-http://deb.debian.org/debian}"
readonly DATA_DIR="${FEDLEARN_DATA:-/usr/share/datasets/fashion-mnist}"
readonly PACKAGES_DIR="${NUGET_PACKAGES:-${HOME}/.nuget/packages}"
readonly TAG="${FEDLEARN_IMAGES_TAG:-offline}"
readonly SUITE="trixie"
readonly BASE_IMAGE="localhost/fedlearn-standin/base:${SUITE}"
readonly SDK_IMAGE="localhost/fedlearn-standin/sdk:10.0"
readonly RUNTIME_IMAGE="localhost/fedlearn-standin/aspnet:10.0"
readonly SERVER_IMAGE="localhost/fedlearn-server:${TAG}"
readonly CLIENT_IMAGE="localhost/fedlearn-client:${TAG}"
# What the official runtime-deps image installs (ICU is there too, though the apps run with invariant globalization).
readonly BASE_PACKAGES="ca-certificates,libicu76,libssl3t64,tzdata,zlib1g"
# Ports of the smoke test, away from the defaults so it does not collide with a server already running here.
readonly GRPC_PORT=51051
readonly SERVER_MANAGEMENT_PORT=19464
readonly CLIENT_MANAGEMENT_PORT=19465
readonly SERVER_CONTAINER="fedlearn-images-smoke-server"
readonly CLIENT_CONTAINER="fedlearn-images-smoke-client"

log() { printf 'build-images-offline: %s\n' "$*" >&2; }
fail() { printf 'build-images-offline: error: %s\n' "$*" >&2; exit 1; }

[[ ${EUID} -eq 0 ]] || fail "needs root (debootstrap, rootful podman); run: sudo bash $0"

ensure_tools() {
  local missing=()
  command -v podman > /dev/null 2>&1 || missing+=(podman)
  command -v buildah > /dev/null 2>&1 || missing+=(buildah)
  command -v runc > /dev/null 2>&1 || missing+=(runc)
  command -v debootstrap > /dev/null 2>&1 || missing+=(debootstrap)
  command -v curl > /dev/null 2>&1 || missing+=(curl)
  if [[ ${#missing[@]} -gt 0 ]]; then
    log "apt-get install -y ${missing[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
  fi
}

image_exists() { podman image exists "$1"; }

keep_standin() {
  [[ ${FEDLEARN_IMAGES_REBUILD_STANDINS:-0} != 1 ]] && image_exists "$1"
}

# buildah with chroot isolation: needs no cgroups and no network namespace of its own, so it works in a plain VM.
build() {
  buildah bud --isolation chroot --layers --force-rm "$@"
}

ensure_base_image() {
  if keep_standin "${BASE_IMAGE}"; then
    log "${BASE_IMAGE} exists: kept"
    return 0
  fi
  local rootfs="${WORKDIR}/rootfs-${SUITE}"
  # A half-made root file system from an interrupted run may still have /proc mounted: unmount before deleting.
  if mountpoint -q "${rootfs}/proc" 2> /dev/null; then umount "${rootfs}/proc"; fi
  if mountpoint -q "${rootfs}/sys" 2> /dev/null; then umount "${rootfs}/sys"; fi
  rm -rf "${rootfs}"
  log "debootstrap --variant=minbase ${SUITE} (${MIRROR})"
  debootstrap --variant=minbase --include="${BASE_PACKAGES}" "${SUITE}" "${rootfs}" "${MIRROR}" > "${WORKDIR}/debootstrap.log"
  rm -rf "${rootfs}"/var/lib/apt/lists/* "${rootfs}"/var/cache/apt/archives/*.deb "${rootfs}"/var/log/*.log
  # debootstrap copies this machine's resolver and name; the container engine provides both at run time.
  : > "${rootfs}/etc/resolv.conf"
  printf 'localhost\n' > "${rootfs}/etc/hostname"
  # As in the official base images: apt keeps no package caches (about 90 MB of *.bin) in the layers it writes.
  cat > "${rootfs}/etc/apt/apt.conf.d/docker-clean" << 'APT'
// eng/build-images-offline.sh: no downloaded packages or package caches left in image layers.
DPkg::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
APT::Update::Post-Invoke { "rm -f /var/cache/apt/archives/*.deb /var/cache/apt/archives/partial/*.deb /var/cache/apt/*.bin || true"; };
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
APT
  rm -f "${rootfs}"/var/cache/apt/*.bin
  log "podman import -> ${BASE_IMAGE}"
  tar --numeric-owner -C "${rootfs}" -c . | podman import --change 'CMD ["/bin/bash"]' - "${BASE_IMAGE}" > /dev/null
  rm -rf "${rootfs}"
}

# The .NET installation behind the `dotnet` on PATH (e.g. /usr/share/dotnet).
dotnet_root() {
  local muxer
  muxer="$(readlink -f "$(command -v dotnet)")" || fail "no dotnet on PATH"
  dirname "${muxer}"
}

ensure_dotnet_standins() {
  local root
  root="$(dotnet_root)"
  if keep_standin "${SDK_IMAGE}"; then
    log "${SDK_IMAGE} exists: kept"
  else
    local context="${WORKDIR}/sdk-context"
    rm -rf "${context}" && mkdir -p "${context}"
    cp -a "${root}" "${context}/dotnet"
    log "building ${SDK_IMAGE} from ${root}"
    build --build-arg "BASE_IMAGE=${BASE_IMAGE}" -f "${REPO_ROOT}/eng/container-standins/sdk.Containerfile" \
      -t "${SDK_IMAGE}" "${context}"
    rm -rf "${context}"
  fi
  if keep_standin "${RUNTIME_IMAGE}"; then
    log "${RUNTIME_IMAGE} exists: kept"
  else
    local context="${WORKDIR}/aspnet-context"
    rm -rf "${context}" && mkdir -p "${context}/dotnet"
    cp -a "${root}/dotnet" "${root}/host" "${root}/shared" "${root}/LICENSE.txt" "${root}/ThirdPartyNotices.txt" \
      "${context}/dotnet/"
    log "building ${RUNTIME_IMAGE} from ${root} (runtimes only)"
    build --build-arg "BASE_IMAGE=${BASE_IMAGE}" -f "${REPO_ROOT}/eng/container-standins/aspnet.Containerfile" \
      -t "${RUNTIME_IMAGE}" "${context}"
    rm -rf "${context}"
  fi
}

# A clean clone of the committed HEAD: what `docker build .` sees in a fresh checkout (no bin/ or obj/).
prepare_source() {
  local source="${WORKDIR}/src" head
  head="$(git -C "${REPO_ROOT}" rev-parse HEAD)"
  rm -rf "${source}"
  git clone --quiet --no-checkout "${REPO_ROOT}" "${source}"
  git -C "${source}" checkout --quiet --detach "${head}"
  if [[ -n "$(git -C "${REPO_ROOT}" status --porcelain --untracked-files=no)" ]]; then
    log "note: uncommitted changes in ${REPO_ROOT} are not in the images (built from ${head})"
  fi
  printf '%s\n' "${source}"
}

build_app_images() {
  local source="$1"
  [[ -d ${PACKAGES_DIR} ]] || fail "NuGet global packages folder ${PACKAGES_DIR} not found; restore the solution once or set NUGET_PACKAGES"
  local extensions="${WORKDIR}/msbuild-user-extensions"
  local import_after="${extensions}/Current/Microsoft.Common.targets/ImportAfter"
  rm -rf "${extensions}" && mkdir -p "${import_after}"
  cp "${REPO_ROOT}/eng/container-standins/OfflineBuild.targets" "${import_after}/FedLearn.OfflineBuild.targets"
  local common=(--build-arg "SDK_IMAGE=${SDK_IMAGE}" --build-arg "RUNTIME_IMAGE=${RUNTIME_IMAGE}"
    --volume "${PACKAGES_DIR}:/root/.nuget/packages:ro"
    --volume "${extensions}:/root/.local/share/Microsoft/MSBuild:ro")
  log "building ${SERVER_IMAGE}"
  build "${common[@]}" -f "${source}/samples/FedLearn.Samples.Server/Dockerfile" -t "${SERVER_IMAGE}" "${source}"
  log "building ${CLIENT_IMAGE}"
  build "${common[@]}" -f "${source}/samples/FedLearn.Samples.Client/Dockerfile" -t "${CLIENT_IMAGE}" "${source}"
}

# How containers are started in this VM (see the header).
nofile="$(ulimit -Hn)"
[[ ${nofile} =~ ^[0-9]+$ ]] || nofile=1048576
readonly RUN_OPTIONS=(--runtime runc --network host --ulimit "nofile=${nofile}:${nofile}" --ulimit nproc=32768:32768)

remove_smoke_containers() {
  # The server gives a running round 20 s to finish on SIGTERM (ShutdownGraceSeconds).
  podman rm -f -t 30 "${CLIENT_CONTAINER}" "${SERVER_CONTAINER}" > /dev/null 2>&1 || true
}

# Waits up to $2 seconds for URL $1 to answer 200; prints the body.
wait_for() {
  local url="$1" seconds="$2" i
  for ((i = 0; i < seconds; i++)); do
    if curl -fsS --max-time 2 "${url}" 2> /dev/null; then return 0; fi
    sleep 1
  done
  return 1
}

smoke_test() {
  local run="${WORKDIR}/run"
  remove_smoke_containers
  rm -rf "${run}" && mkdir -p "${run}/certs" "${run}/state-0"
  [[ -d ${DATA_DIR} ]] || fail "Fashion-MNIST not found at ${DATA_DIR} (set FEDLEARN_DATA)"

  log "development certificates from the server image's certs tool"
  podman run --rm "${RUN_OPTIONS[@]}" --user 0 -v "${run}/certs:/out" "${SERVER_IMAGE}" \
    certs --out /out --clients 1 --server-names localhost --days 1
  # The apps run as APP_UID (1654): let that user read the keys.
  chown -R 1654:1654 "${run}/certs" "${run}/state-0"

  log "starting the server (gRPC ${GRPC_PORT}, management ${SERVER_MANAGEMENT_PORT})"
  podman run -d --name "${SERVER_CONTAINER}" "${RUN_OPTIONS[@]}" \
    -v "${run}/certs:/app/certs:ro" -v "${DATA_DIR}:/data/fashion-mnist:ro" \
    -e FEDLEARN_FedLearn__Server__Port="${GRPC_PORT}" \
    -e FEDLEARN_FedLearn__Server__ManagementPort="${SERVER_MANAGEMENT_PORT}" \
    -e FEDLEARN_FedLearn__Server__Clients=1 -e FEDLEARN_FedLearn__Server__MinClients=1 \
    -e FEDLEARN_FedLearn__Server__Rounds=1 \
    "${SERVER_IMAGE}" > /dev/null
  trap remove_smoke_containers EXIT
  local health
  if ! health="$(wait_for "http://127.0.0.1:${SERVER_MANAGEMENT_PORT}/healthz" 120)"; then
    podman logs "${SERVER_CONTAINER}" >&2 || true
    fail "the server's /healthz did not answer within 120 s"
  fi
  log "server /healthz: ${health}"
  local metrics
  metrics="$(curl -fsS --max-time 5 "http://127.0.0.1:${SERVER_MANAGEMENT_PORT}/metrics")" \
    || fail "the server's /metrics did not answer"
  log "server /metrics: $(grep -vc '^#' <<< "${metrics}") samples"

  log "starting client-0 against https://localhost:${GRPC_PORT}"
  podman run -d --name "${CLIENT_CONTAINER}" "${RUN_OPTIONS[@]}" \
    -v "${run}/certs:/app/certs:ro" -v "${DATA_DIR}:/data/fashion-mnist:ro" -v "${run}/state-0:/state" \
    -e FEDLEARN_FedLearn__Client__ClientId=client-0 -e FEDLEARN_FedLearn__Client__ClientIndex=0 \
    -e FEDLEARN_FedLearn__Client__Clients=1 \
    -e FEDLEARN_FedLearn__Client__Server="https://localhost:${GRPC_PORT}" \
    -e FEDLEARN_FedLearn__Client__ManagementPort="${CLIENT_MANAGEMENT_PORT}" \
    -e FEDLEARN_FedLearn__Client__Certificate=certs/clients/client-0.crt \
    -e FEDLEARN_FedLearn__Client__Key=certs/clients/client-0.key \
    -e FEDLEARN_FedLearn__Client__StateDir=/state \
    "${CLIENT_IMAGE}" > /dev/null
  if ! health="$(wait_for "http://127.0.0.1:${CLIENT_MANAGEMENT_PORT}/healthz" 120)"; then
    podman logs "${CLIENT_CONTAINER}" >&2 || true
    fail "the client's /healthz did not answer within 120 s"
  fi
  log "client /healthz: ${health}"
  # One round with one client: wait for the server to finish (it exits after its last round).
  local code
  code="$(timeout 600 podman wait "${SERVER_CONTAINER}" || echo timeout)"
  log "server exited: ${code}"
  podman logs "${SERVER_CONTAINER}" 2>&1 | tail -n 15
  log "client log (last lines):"
  podman logs "${CLIENT_CONTAINER}" 2>&1 | tail -n 10
  [[ ${code} == 0 ]] || fail "the server did not finish its round (exit ${code})"
  code="$(timeout 60 podman wait "${CLIENT_CONTAINER}" || echo timeout)"
  log "client exited: ${code}"
  [[ ${code} == 0 ]] || fail "the client did not stop cleanly after the last round (exit ${code})"
}

# Each build stage is about 3 GB and each application image 1.3 GB (mostly shared with nothing): a run from nothing
# needs about 10 GB free where podman keeps its images.
check_disk() {
  local storage=/var/lib/containers free
  [[ -d ${storage} ]] || storage=/var/lib
  free="$(df --output=avail -BG "${storage}" | tail -n 1 | tr -dc '0-9')"
  if [[ ${free} -lt 10 ]]; then
    fail "only ${free} GB free under ${storage}; a run needs about 10 GB (podman image prune -f frees old build stages)"
  fi
}

main() {
  mkdir -p "${WORKDIR}"
  check_disk
  ensure_tools
  ensure_base_image
  ensure_dotnet_standins
  local source
  source="$(prepare_source)"
  build_app_images "${source}"
  # The build stages stay behind as untagged images (about 3 GB each); FEDLEARN_IMAGES_KEEP_CACHE=1 keeps them.
  if [[ ${FEDLEARN_IMAGES_KEEP_CACHE:-0} != 1 ]]; then
    podman image prune -f > /dev/null
  fi
  log "image sizes:"
  podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E 'fedlearn' | sort
  if [[ ${FEDLEARN_IMAGES_SKIP_RUN:-0} != 1 ]]; then
    smoke_test
  fi
  log "done"
}

main "$@"
