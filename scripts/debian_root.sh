#!/bin/sh
# A root of another Debian release beside this machine, for building and
# testing torchts against that release's libtorch (issue #20): Debian 13
# (trixie) has libtorch 2.6, Debian 12 (bookworm) 1.13. CI runs the suite
# against the one its machine does not have in such a root. Made with
# debootstrap, so it needs root and the Debian mirror; made once and reused
# (each step checks what is there).
#
#   sh scripts/debian_root.sh SUITE [DIR]              make or update DIR
#   sh scripts/debian_root.sh SUITE [DIR] run CMD...   run CMD inside DIR, the
#                                                      repo bind-mounted at /repo
#
# SUITE is trixie, bookworm or forky (Debian 14, testing: libtorch 2.14). DIR defaults to /var/tmp/torchts-SUITE; keep it
# outside the repository (about 2.7 GB of system files). The root gets
# libtorch-dev, python3-torch and python3-torchvision (the builds that
# release's users get; setuptools for the OpInfo golden script), what CI
# installs beside them (the Fashion-MNIST data set, fonts), Node and npm, and
# a compiler. Bookworm's Node is 18, below what torchts supports: with
# NODE_HOME=DIR (a Node install, as scripts/prebuild.js fetches into
# .node-majors/) that Node is copied to the root's /opt/node and comes first
# on its PATH, Debian's npm running under it. The host's resolv.conf and CA
# bundle are copied in so that apt and npm inside reach their servers.
# Measured on a Debian 12 machine: trixie in about 8 minutes the first time,
# seconds after.
#
# Building and testing there, on a copy of the tree (build/ stays the
# host's; node-gyp from node_modules/, not Debian's, which links every addon
# with -lnode):
#   git ls-files -z | tar --null -T - -cf - | (cd DIR/work/torchts && tar xf -)
#   sh scripts/debian_root.sh trixie run sh -c 'cd /work/torchts && npm ci --ignore-scripts &&
#     npx node-gyp rebuild && npm test'
# and the golden scripts under that Python write test/fixtures/torch-2.6/
# (scripts/golden/_common.py; prune with scripts/golden/_prune_version.py).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
suite=${1:-}
case "$suite" in
  trixie|bookworm|forky) shift ;;
  *) echo "debian_root: the first argument is the Debian release: trixie, bookworm or forky" >&2; exit 2 ;;
esac
dir=/var/tmp/torchts-$suite
case "${1:-}" in
  ''|run) ;;
  *) dir=$1; shift ;;
esac
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages="libtorch-dev libgloo-dev python3-torch python3-torchvision libopenblas0-openmp dataset-fashion-mnist fonts-dejavu-core python3-setuptools nodejs npm g++ make python3 ca-certificates git"

[ "$(id -u)" = 0 ] || { echo "debian_root: needs root (debootstrap, chroot, unshare, mount); run as root" >&2; exit 2; }

# The command given, inside the root with /proc, /dev and the repo (at /repo)
# bind-mounted in a mount namespace of its own: the mounts are seen by that
# command alone and vanish with it, so that commands may run there side by
# side, and an rm -rf of the root never reaches through a mount left behind.
# node-gyp builds against the headers of the Node that runs (npm_config_nodedir).
in_root() {
  unshare --mount --propagation private -- sh -c '
    dir=$1 here=$2; shift 2
    for m in proc dev dev/pts; do mkdir -p "$dir/$m"; mount --bind "/$m" "$dir/$m"; done
    mkdir -p "$dir/repo"; mount --bind "$here" "$dir/repo"
    node_home=/usr
    [ -x "$dir/opt/node/bin/node" ] && node_home=/opt/node
    exec chroot "$dir" /usr/bin/env -i HOME=/root PATH=/opt/node/bin:/usr/local/bin:/usr/bin:/bin \
      LANG=C.UTF-8 TERM="${TERM:-dumb}" NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-certificates.crt \
      npm_config_nodedir=$node_home "$@"
  ' in_root "$dir" "$here" "$@"
}

if [ "${1:-}" = run ]; then
  shift
  [ -x "$dir/usr/bin/npm" ] || { echo "debian_root: no $suite root at $dir; make it first: sh scripts/debian_root.sh $suite $dir" >&2; exit 2; }
  [ $# -gt 0 ] || set -- /bin/bash
  in_root "$@"
  exit $?
fi

if [ ! -x "$dir/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || apt-get install -y debootstrap
  echo "debian_root: debootstrap $suite $dir" >&2
  # A debootstrap older than the release has no script named for it; testing
  # is made as sid is.
  script=""
  [ -e "/usr/share/debootstrap/scripts/$suite" ] || script=/usr/share/debootstrap/scripts/sid
  debootstrap --variant=minbase "$suite" "$dir" "$mirror" $script
fi
rm -f "$dir/etc/resolv.conf"
cp -L /etc/resolv.conf "$dir/etc/resolv.conf"
# The host's CA certificates, for apt and npm inside, until the root's own
# ca-certificates is installed. (Only then: its certs are absolute symlinks
# that, followed from out here, lead to the host's own files.)
if [ ! -e "$dir/usr/sbin/update-ca-certificates" ]; then
  mkdir -p "$dir/etc/ssl/certs"
  cp -L /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/certs/ca-certificates.crt"
fi
# And for Node (npm) beside the root's own, which lack a proxy's CA the host trusts.
mkdir -p "$dir/etc/ssl"
cp -L /etc/ssl/certs/ca-certificates.crt "$dir/etc/ssl/host-ca-certificates.crt"
missing=""
for p in $packages; do
  chroot "$dir" dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing="$missing $p"
done
if [ -n "$missing" ]; then
  echo "debian_root: apt-get install$missing" >&2
  # Testing's Release file is valid for a week only; a mirror that lags
  # behind (as the one CI reaches may) would have apt refuse it.
  apt_opts=""
  [ "$suite" = forky ] && apt_opts="-o Acquire::Check-Valid-Until=false"
  in_root sh -c "apt-get $apt_opts update && DEBIAN_FRONTEND=noninteractive apt-get $apt_opts install -y --no-install-recommends $missing"
fi
if [ -n "${NODE_HOME:-}" ]; then
  [ -x "$NODE_HOME/bin/node" ] || { echo "debian_root: NODE_HOME=$NODE_HOME has no bin/node" >&2; exit 2; }
  rm -rf "$dir/opt/node"
  mkdir -p "$dir/opt"
  cp -a "$NODE_HOME" "$dir/opt/node"
fi
in_root sh -c 'printf "%s root ready: node %s, libtorch %s\n" "$1" "$(node --version)" "$(dpkg-query -W -f="\${Version}" libtorch-dev)"' sh "$suite"
