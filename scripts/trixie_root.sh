#!/bin/sh
# A Debian 13 (trixie) root beside this machine, for building and testing
# torchts against trixie's libtorch 2.6 while the host keeps Debian 12's
# 1.13 (issue #20). Made with debootstrap, so it needs root and network to
# the Debian mirror; made once and reused (each step checks what is there).
#
#   sh scripts/trixie_root.sh [DIR]              make or update DIR
#   sh scripts/trixie_root.sh [DIR] run CMD...   run CMD inside DIR, the repo
#                                                bind-mounted at /repo
#
# DIR defaults to $TRIXIE_ROOT or /var/tmp/torchts-trixie; keep it outside
# the repository (it is 2.7 GB of system files). The root gets libtorch-dev,
# python3-torch and python3-torchvision (2.6, the same builds Debian 13
# users get; setuptools for the OpInfo golden script), what CI installs
# beside them (the Fashion-MNIST data set, fonts), Node and npm, and a
# compiler. The host's resolv.conf and CA bundle are copied in so that apt
# and npm inside reach their servers. Measured on a Debian 12 machine:
# about 8 minutes the first time, seconds after.
#
# Building and testing against 2.6 there (node-gyp from the registry, the
# project's devDependency: Debian 13's own links every addon with -lnode), on
# a copy of the tree so that build/ stays the host's:
#   cp -r . DIR/work/torchts (less build/, node_modules/)
#   sh scripts/trixie_root.sh run sh -c 'cd /work/torchts && npm ci --ignore-scripts &&
#     npm_config_nodedir=/usr npx node-gyp rebuild && npm test'
# and the golden scripts under Python 2.6 write test/fixtures/torch-2.6/
# (scripts/golden/_common.py; prune with scripts/golden/_prune_version.py).
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
dir=${TRIXIE_ROOT:-/var/tmp/torchts-trixie}
case "${1:-}" in
  ''|run) ;;
  *) dir=$1; shift ;;
esac
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
packages="libtorch-dev python3-torch python3-torchvision libopenblas0-openmp dataset-fashion-mnist fonts-dejavu-core python3-setuptools nodejs npm g++ make python3 ca-certificates git"

[ "$(id -u)" = 0 ] || { echo "trixie_root: needs root (debootstrap, chroot, unshare, mount); run as root" >&2; exit 2; }

# The command given, inside the root with /proc, /dev and the repo (at /repo)
# bind-mounted in a mount namespace of its own: the mounts are seen by that
# command alone and vanish with it, so that commands may run there side by
# side, and an rm -rf of the root never reaches through a mount left behind.
in_root() {
  unshare --mount --propagation private -- sh -c '
    dir=$1 here=$2; shift 2
    for m in proc dev dev/pts; do mkdir -p "$dir/$m"; mount --bind "/$m" "$dir/$m"; done
    mkdir -p "$dir/repo"; mount --bind "$here" "$dir/repo"
    exec chroot "$dir" /usr/bin/env -i HOME=/root PATH=/usr/local/bin:/usr/bin:/bin \
      LANG=C.UTF-8 TERM="${TERM:-dumb}" NODE_EXTRA_CA_CERTS=/etc/ssl/host-ca-certificates.crt "$@"
  ' in_root "$dir" "$here" "$@"
}

if [ "${1:-}" = run ]; then
  shift
  [ -x "$dir/usr/bin/node" ] || { echo "trixie_root: no root at $dir; make it first: sh scripts/trixie_root.sh $dir" >&2; exit 2; }
  [ $# -gt 0 ] || set -- /bin/bash
  in_root "$@"
  exit $?
fi

if [ ! -x "$dir/usr/bin/apt-get" ]; then
  command -v debootstrap >/dev/null || apt-get install -y debootstrap
  echo "trixie_root: debootstrap trixie $dir" >&2
  debootstrap --variant=minbase trixie "$dir" "$mirror"
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
  echo "trixie_root: apt-get install$missing" >&2
  in_root sh -c "apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $missing"
fi
in_root sh -c 'printf "trixie root ready: node %s, libtorch %s\n" "$(node --version)" "$(dpkg-query -W -f="\${Version}" libtorch-dev)"'
