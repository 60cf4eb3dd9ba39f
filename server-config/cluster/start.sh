#!/usr/bin/env bash
# Two Switchboard nodes (Payara Micro) on one Redis behind HAProxy, on this machine:
#   redis on 6379, node-a on 8081, node-b on 8082, HAProxy on 8080 -> http://localhost:8080/
# Needs: mvn package done (target/switchboard.war, target/payara-micro.jar), Debian's redis-server and
# haproxy. Stops everything it started on Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/../.."
mkdir -p target/redis-data target/cluster
secret=${SWITCHBOARD_TOKEN_SECRET:-$(head -c 32 /dev/urandom | base64)}
pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT INT TERM

redis-server server-config/cluster/redis.conf --daemonize no > target/cluster/redis.log 2>&1 &
pids+=($!)
for node in a:8081 b:8082; do
  id=node-${node%%:*}; port=${node##*:}
  java -Dswitchboard.node.id="$id" -Dswitchboard.redis.url=redis://127.0.0.1:6379 \
       -Dswitchboard.token.secret="$secret" \
       -jar target/payara-micro.jar --deploy target/switchboard.war --contextroot / --port "$port" \
       --prebootcommandfile server-config/payara/pre-boot-commands.asadmin --nohazelcast --disablephonehome \
       --rootdir "target/cluster/$id" > "target/cluster/$id.log" 2>&1 &
  pids+=($!)
done
haproxy -f server-config/cluster/haproxy.cfg > target/cluster/haproxy.log 2>&1 &
pids+=($!)
echo "Starting: redis, node-a (8081), node-b (8082), HAProxy (8080); logs in target/cluster. Ctrl-C stops all."
wait -n
