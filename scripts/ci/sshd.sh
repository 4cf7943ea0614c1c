#!/usr/bin/env bash
# A real OpenSSH server on loopback for the collector's end-to-end tests. Idempotent: a second run
# reuses the running daemons and rewrites nothing but the env file.
#
# Two daemons share one test user but have DIFFERENT host keys, so a test can see "the host key
# changed" by pointing a recorded fingerprint at the other port:
#   primary   127.0.0.1:${MEMFLEET_SSHD_PORT:-2222}
#   alternate 127.0.0.1:${MEMFLEET_SSHD_PORT_ALT:-2223}
# Connection facts are written as KEY=VALUE lines to $DIR/env (default /tmp/memfleet-sshd/env).
# The test user may run exactly `cat /proc/slabinfo` and `cat /proc/pagetypeinfo` through
# `sudo -n`, which is what the collector's sudo variant needs, and nothing else as root.
set -euo pipefail

DIR="${MEMFLEET_SSHD_DIR:-/tmp/memfleet-sshd}"
PORT="${MEMFLEET_SSHD_PORT:-2222}"
PORT_ALT="${MEMFLEET_SSHD_PORT_ALT:-2223}"
USER_NAME="${MEMFLEET_SSHD_USER:-memfleet-ssh}"
export DEBIAN_FRONTEND=noninteractive

# Test files call this in parallel (one per Jest worker): one run at a time, the rest reuse it.
exec 9>"/tmp/memfleet-sshd.lock"
flock 9

need=()
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null || need+=(openssh-client)
command -v sudo >/dev/null || need+=(sudo)
# The collection command must also run under busybox sh and applets (tests run it there).
[ -x /usr/bin/busybox ] || [ -x /bin/busybox ] || need+=(busybox)
if [ ${#need[@]} -gt 0 ]; then
  # Other engineers' scripts install packages at the same time: one apt at a time.
  flock /tmp/apt.lock bash -c "apt-get update -qq && apt-get install -y -qq --no-install-recommends ${need[*]}" >&2
fi

mkdir -p "$DIR" /run/sshd
chmod 0755 "$DIR"

if ! id "$USER_NAME" >/dev/null 2>&1; then
  useradd --create-home --shell /bin/sh "$USER_NAME"
fi
home="$(getent passwd "$USER_NAME" | cut -d: -f6)"

# Secrets are generated here, never defaulted; they live only in $DIR (mode 0600).
if [ ! -s "$DIR/password" ]; then
  (umask 077 && head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DIR/password")
fi
echo "$USER_NAME:$(cat "$DIR/password")" | chpasswd

[ -s "$DIR/client_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C memfleet-test -f "$DIR/client_ed25519"
if [ ! -s "$DIR/passphrase" ]; then
  (umask 077 && head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' >"$DIR/passphrase")
fi
[ -s "$DIR/client_ed25519_pass" ] ||
  ssh-keygen -q -t ed25519 -N "$(cat "$DIR/passphrase")" -C memfleet-test-pass -f "$DIR/client_ed25519_pass"

install -d -m 0700 -o "$USER_NAME" -g "$USER_NAME" "$home/.ssh"
cat "$DIR/client_ed25519.pub" "$DIR/client_ed25519_pass.pub" >"$home/.ssh/authorized_keys"
chown "$USER_NAME:$USER_NAME" "$home/.ssh/authorized_keys"
chmod 0600 "$home/.ssh/authorized_keys"

cat_bin="$(command -v cat)"
cat >/etc/sudoers.d/memfleet-test <<EOF
$USER_NAME ALL=(root) NOPASSWD: $cat_bin /proc/slabinfo, $cat_bin /proc/pagetypeinfo
EOF
chmod 0440 /etc/sudoers.d/memfleet-test

fingerprint() { ssh-keygen -l -E sha256 -f "$1" | awk '{print $2}'; }

# start_sshd NAME PORT: own config, own host key, own pid file and log.
start_sshd() {
  local name="$1" port="$2" d="$DIR/$1"
  mkdir -p "$d"
  [ -s "$d/ssh_host_ed25519_key" ] || ssh-keygen -q -t ed25519 -N '' -C "memfleet-$name" -f "$d/ssh_host_ed25519_key"
  cat >"$d/sshd_config" <<EOF
Port $port
ListenAddress 127.0.0.1
HostKey $d/ssh_host_ed25519_key
PidFile $d/sshd.pid
PubkeyAuthentication yes
PasswordAuthentication yes
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin no
AllowUsers $USER_NAME
MaxStartups 100:30:200
MaxSessions 20
LogLevel VERBOSE
EOF
  if [ -s "$d/sshd.pid" ] && kill -0 "$(cat "$d/sshd.pid")" 2>/dev/null; then
    return 0
  fi
  /usr/sbin/sshd -t -f "$d/sshd_config"
  /usr/sbin/sshd -f "$d/sshd_config" -E "$d/sshd.log"
  for _ in $(seq 1 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && return 0
    sleep 0.1
  done
  echo "sshd $name did not start on port $port; see $d/sshd.log" >&2
  return 1
}

start_sshd primary "$PORT"
start_sshd alternate "$PORT_ALT"

tmp="$(mktemp "$DIR/env.XXXXXX")"
cat >"$tmp" <<EOF
MEMFLEET_SSHD_HOST=127.0.0.1
MEMFLEET_SSHD_PORT=$PORT
MEMFLEET_SSHD_PORT_ALT=$PORT_ALT
MEMFLEET_SSHD_USER=$USER_NAME
MEMFLEET_SSHD_PASSWORD_FILE=$DIR/password
MEMFLEET_SSHD_KEY=$DIR/client_ed25519
MEMFLEET_SSHD_KEY_PASS=$DIR/client_ed25519_pass
MEMFLEET_SSHD_PASSPHRASE_FILE=$DIR/passphrase
MEMFLEET_SSHD_HOSTKEY_FP=$(fingerprint "$DIR/primary/ssh_host_ed25519_key.pub")
MEMFLEET_SSHD_HOSTKEY_FP_ALT=$(fingerprint "$DIR/alternate/ssh_host_ed25519_key.pub")
MEMFLEET_SSHD_LOG=$DIR/primary/sshd.log
MEMFLEET_SSHD_LOG_ALT=$DIR/alternate/sshd.log
EOF
chmod 0644 "$tmp"
mv "$tmp" "$DIR/env"
echo "sshd ready: 127.0.0.1:$PORT and :$PORT_ALT ($DIR/env)"
