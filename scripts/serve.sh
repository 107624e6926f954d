#!/usr/bin/env bash
# Serve a conference: N app processes behind nginx (Debian's package) on one port.
#
#   bash scripts/serve.sh --replicas 2 [--port 8501] [--network]
#
# Streamlit keeps a session in one process, so each browser must stay on the replica that holds
# its session: nginx hashes a cookie it sets on the first request (deploy/README.md says why not
# the client address), upgrades /_stcore/stream to a websocket with long timeouts, and names
# the replica that answered in an X-Atlas-Replica header. The replicas listen on loopback ports
# after --port (P+1 .. P+N; --replica-port to choose); nginx listens on 127.0.0.1:P, or with
# --network on every interface (to serve the room). The nginx configuration is generated into a
# runtime directory (--run-dir, default a fresh temporary one; never /etc) and nginx runs in the
# foreground as a child of this script. Ctrl-C or TERM stops everything. It says "ready" once
# every replica has loaded the data and run the explorer once (scripts/ready.py), and starts a
# replica that exits again on its port (scripts/run.sh --network runs it with one replica).
#
# Health: GET /healthz is answered by nginx itself; /_stcore/health by a replica (process up);
# scripts/ready.py --url http://127.0.0.1:PORT says whether a replica is ready (app ready).
# --no-setup skips `scripts/setup.sh --serve` (which installs nginx and the app's packages);
# ATLAS_PYTHON names the interpreter of a virtualenv with requirements.txt (default .venv).
set -euo pipefail
cd "$(dirname "$0")/.."

replicas=2 port=8501 listen=127.0.0.1 replica_port="" run_dir="" setup=1
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit "${1:-0}"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --replicas) replicas=${2:?--replicas needs a number}; shift 2 ;;
    --port) port=${2:?--port needs a number}; shift 2 ;;
    --replica-port) replica_port=${2:?--replica-port needs a number}; shift 2 ;;
    --network) listen=0.0.0.0; shift ;;
    --run-dir) run_dir=${2:?--run-dir needs a path}; shift 2 ;;
    --no-setup) setup=0; shift ;;
    -h|--help) usage ;;
    *) echo "serve.sh: unknown option $1" >&2; usage 2 >&2 ;;
  esac
done
case "$replicas$port${replica_port:-0}" in *[!0-9]*) echo "serve.sh: numbers expected" >&2; exit 2 ;; esac
[ "$replicas" -ge 1 ] && [ "$replicas" -le 16 ] || { echo "serve.sh: --replicas between 1 and 16" >&2; exit 2; }
replica_port=${replica_port:-$((port + 1))}

if [ "$setup" = 1 ]; then bash scripts/setup.sh --serve; fi
PY=${ATLAS_PYTHON:-.venv/bin/python}
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
[ -x "$NGINX" ] || { echo "serve.sh: nginx is missing: bash scripts/setup.sh --serve" >&2; exit 1; }

if [ -z "$run_dir" ]; then run_dir=$(mktemp -d -t atlas-serve.XXXXXX); fi
mkdir -p "$run_dir"
run_dir=$(cd "$run_dir" && pwd)
# The copies nginx serves (below) live in a directory of their own, readable by all: nginx's
# workers run as another user under root (nobody), who may not pass through the runtime
# directory's parents. Removed when serving stops.
www=$(mktemp -d -t atlas-www.XXXXXX)
chmod 755 "$www"
echo "$www" >"$run_dir/www"

declare -A replica_pid=()  # port -> pid of the replica running there
nginx_pid=""
stop() {
  trap - INT TERM EXIT
  local live=("${replica_pid[@]}" $nginx_pid)
  for pid in "${live[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${live[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$www"
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT

# One cookie secret for all replicas (Streamlit signs its XSRF cookie with it), so a session
# moved to another replica when its own stops can still upload files.
secret=$("$PY" -c 'import secrets; print(secrets.token_hex(32))')

# Files every browser fetches on its first visit (Streamlit's frontend, the map component's
# build, the app's static/ folder) are served by nginx from disk: a browser's first visit is
# about a hundred of them, and through a replica they cost it ~0.2 s of Python per browser
# (scripts/loadtest.py counts them). The directories are the installed packages' own.
frontend=$("$PY" -c 'import os, streamlit; print(os.path.join(os.path.dirname(streamlit.__file__), "static", "static"))')
component=$("$PY" -c 'import os, streamlit_folium as m; print(os.path.join(os.path.dirname(m.__file__), "frontend", "build"))' 2>/dev/null)
app_static=$(pwd)/static
# Copied into $www with a compressed copy of each (scripts/precompress.py), so nginx compresses
# nothing per request.
for pair in "frontend:$frontend" "component:$component" "app_static:$app_static"; do
  d=${pair#*:}
  [ -d "$d" ] || { echo "serve.sh: $d is missing (reinstall: bash scripts/setup.sh --serve)" >&2; exit 1; }
  "$PY" scripts/precompress.py "$d" "$www/${pair%%:*}"
done
# The page itself and its icon: Streamlit sends them as they are in its package (a replica spent
# ~5 ms of Python on the two, an eighth of what a browser's arrival costs it).
"$PY" scripts/precompress.py "$(dirname "$frontend")" "$www/page" index.html favicon.png
# One replica on loopback port $1, its log appended to (a restarted replica keeps its history).
start_replica() {
  STREAMLIT_SERVER_COOKIE_SECRET=$secret STREAMLIT_BROWSER_GATHER_USAGE_STATS=false \
    "$PY" -m streamlit run app.py --server.address 127.0.0.1 --server.port "$1" \
    --server.headless true >>"$run_dir/replica-$1.log" 2>&1 &
  replica_pid[$1]=$!
}
# The pids (serve.sh's tests and scripts/soak.py read them), rewritten when a replica restarts.
write_pids() {
  { for p in "${!replica_pid[@]}"; do echo "${replica_pid[$p]} $p"; done | sort -k2n
    [ -z "$nginx_pid" ] || echo "$nginx_pid nginx"; } >"$run_dir/replicas.new"
  mv "$run_dir/replicas.new" "$run_dir/replicas"
}
servers=""
for i in $(seq 0 $((replicas - 1))); do
  p=$((replica_port + i))
  start_replica "$p"
  servers+="        server 127.0.0.1:$p max_fails=1 fail_timeout=5s;"$'\n'
done
write_pids

cat >"$run_dir/nginx.conf" <<EOF
# Generated by scripts/serve.sh; deploy/README.md explains each choice.
worker_processes 1;
pid $run_dir/nginx.pid;
error_log $run_dir/error.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $run_dir/client_body;
    proxy_temp_path $run_dir/proxy;
    fastcgi_temp_path $run_dir/fastcgi;
    uwsgi_temp_path $run_dir/uwsgi;
    scgi_temp_path $run_dir/scgi;
    server_tokens off;
    # The replicas' upload cap (server.maxUploadSize = 1 MiB) plus room for the multipart
    # headers: nginx refuses bigger bodies itself (413) instead of streaming them to a replica
    # that would refuse them halfway and reset the connection.
    client_max_body_size 1025k;
    # Nothing is buffered to disk (the run directory need not be writable by nginx's workers):
    # upload bodies stay in memory up to the cap, responses pass through as they come.
    client_body_buffer_size 1025k;
    proxy_max_temp_file_size 0;

    # Affinity: a browser without our cookie gets a fresh random key (the request id), set as a
    # cookie on that response; the key picks the replica (consistent hashing), so every later
    # request and the websocket of that browser go to the same one.
    map \$cookie_atlas_replica \$atlas_affinity {
        ""      \$request_id;
        default \$cookie_atlas_replica;
    }
    map \$cookie_atlas_replica \$atlas_set_cookie {
        ""      "atlas_replica=\$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    open_file_cache max=1000 inactive=10m;
    # Compressed for the venue's network (a first visit is ~3 MB instead of ~8 MB with the Sectors
    # page), from the copies made above: nothing is compressed per request.
    gzip_static on;
    gzip_vary on;
    map \$http_upgrade \$connection_upgrade {
        default upgrade;
        ""      close;
    }
    upstream atlas {
        hash \$atlas_affinity consistent;
$servers    }
    server {
        listen $listen:$port;
        location = /healthz {
            access_log off;
            default_type text/plain;
            return 200 "ok\n";
        }
        # The explorer's address: the page as Streamlit sends it (no-cache, so a new release is
        # picked up), with the affinity cookie; its websocket then picks the replica.
        location = / {
            root "$www/page";
            try_files /index.html =404;
            add_header Cache-Control "no-cache";
            add_header Set-Cookie \$atlas_set_cookie always;
        }
        location = /favicon.png {
            alias "$www/page/favicon.png";
            add_header Cache-Control "public, immutable, max-age=31536000";
        }
        location / {
            proxy_pass http://atlas;
            add_header X-Atlas-Replica \$upstream_addr always;
            add_header Set-Cookie \$atlas_set_cookie always;
            proxy_http_version 1.1;
            proxy_set_header Host \$http_host;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto \$scheme;
            proxy_next_upstream error timeout http_502 http_503;
        }
        # Content-hashed names: cached for a year, as Streamlit itself says of them (a 404 is not).
        location /static/ {
            alias "$www/frontend/";
            add_header Cache-Control "public, immutable, max-age=31536000";
        }
        location /component/streamlit_folium.st_folium/ {
            alias "$www/component/";
            add_header Cache-Control "public";
        }
        location = /component/streamlit_folium.st_folium/index.html {
            alias "$www/component/index.html";
            add_header Cache-Control "no-cache";
        }
        location /app/static/ {
            alias "$www/app_static/";
            add_header X-Content-Type-Options nosniff always;
            add_header Access-Control-Allow-Origin "*" always;
        }
        location = /_stcore/stream {
            proxy_pass http://atlas;
            add_header X-Atlas-Replica \$upstream_addr always;
            add_header Set-Cookie \$atlas_set_cookie always;
            proxy_http_version 1.1;
            proxy_set_header Host \$http_host;
            proxy_set_header Upgrade \$http_upgrade;
            proxy_set_header Connection \$connection_upgrade;
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
            proxy_buffering off;
            # a workshop session may sit idle for an hour; Streamlit pings every 30 s anyway
            proxy_read_timeout 1d;
            proxy_send_timeout 1d;
        }
    }
}
EOF
"$NGINX" -t -q -p "$run_dir" -e "$run_dir/error.log" -c "$run_dir/nginx.conf"

# Ready before taking traffic: each replica has answered its health check and run one session
# (scripts/ready.py: the data loaded, the explorer and the Sectors page run once), so the first
# visitor waits no longer than the second.
warm=()
for p in "${!replica_pid[@]}"; do
  "$PY" -m scripts.ready --url "http://127.0.0.1:$p" --pid "${replica_pid[$p]}" --wait 300 &
  warm+=($!)
done
for w in "${warm[@]}"; do
  wait "$w" || { echo "serve.sh: a replica did not become ready; see $run_dir/replica-*.log" >&2; exit 1; }
done

"$NGINX" -p "$run_dir" -e "$run_dir/error.log" -c "$run_dir/nginx.conf" -g "daemon off;" &
nginx_pid=$!
write_pids
for _ in $(seq 1 100); do
  "$PY" -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null && break
  kill -0 "$nginx_pid" 2>/dev/null || { echo "serve.sh: nginx stopped; see $run_dir/error.log" >&2; exit 1; }
  sleep 0.1
done
shown="http://127.0.0.1:$port"
if [ "$listen" = 0.0.0.0 ]; then
  shown="every interface:"
  for ip in $(hostname -I 2>/dev/null); do case "$ip" in *:*) ;; *) shown+=" http://$ip:$port" ;; esac; done
fi
echo "China Cluster Atlas is ready: $replicas replica(s) (ports $replica_port-$((replica_port + replicas - 1))) behind nginx on $shown"
echo "runtime directory: $run_dir (nginx.conf, logs, pids in 'replicas'); Ctrl-C stops all"

# Run until nginx stops or a signal arrives. A replica that exits loses only its own sessions:
# nginx sends its browsers to another replica when they reconnect (proxy_next_upstream), the
# others carry on, and it is started again on its port, back in nginx's pool once it listens
# (nginx retries a failed server after fail_timeout). One that keeps failing within seconds of
# its start is left stopped after five tries (its log says why).
declare -A started=() quick=()
for p in "${!replica_pid[@]}"; do started[$p]=$SECONDS quick[$p]=0; done
while true; do
  gone=""
  wait -n -p gone "${replica_pid[@]}" "$nginx_pid" || true
  [ -n "${gone:-}" ] || continue  # a signal: its trap stops everything
  if [ "$gone" = "$nginx_pid" ]; then break; fi
  for p in "${!replica_pid[@]}"; do
    [ "${replica_pid[$p]}" = "$gone" ] || continue
    if [ $((SECONDS - started[$p])) -lt 10 ]; then quick[$p]=$((quick[$p] + 1)); else quick[$p]=0; fi
    if [ "${quick[$p]}" -ge 5 ]; then
      echo "serve.sh: the replica on port $p keeps stopping; left stopped (see $run_dir/replica-$p.log)" >&2
      unset "replica_pid[$p]"
    else
      echo "serve.sh: the replica on port $p (pid $gone) stopped; starting it again" >&2
      sleep "${quick[$p]}"
      start_replica "$p"
      started[$p]=$SECONDS
      "$PY" -m scripts.ready --url "http://127.0.0.1:$p" --pid "${replica_pid[$p]}" --wait 300 >/dev/null 2>&1 &
    fi
    write_pids
  done
  [ ${#replica_pid[@]} -gt 0 ] || { echo "serve.sh: no replica left" >&2; break; }
done
echo "serve.sh: stopping" >&2
