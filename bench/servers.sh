# Starting and stopping the servers the benchmark measures; sourced by bench/run.
# Each server runs the WAR as its run command does (server-config/ applied), on loopback, with the
# benchmark's settings: rate limits and send queue raised, a known token secret (the load client mints
# tokens itself), the same heap for every JVM.

BENCH_TOKEN_SECRET="bench-only-secret-of-at-least-32-bytes-0123456789"
BENCH_JVM_OPTS="-Xms1g -Xmx1g"
BENCH_SETTINGS="-Dswitchboard.token.secret=$BENCH_TOKEN_SECRET"
BENCH_SETTINGS="$BENCH_SETTINGS -Dswitchboard.rate.chat.per-second=1000000 -Dswitchboard.rate.chat.burst=1000000"
# One publisher connection sends a whole fan-out scenario; the inbound budget is a per-client limit.
BENCH_SETTINGS="$BENCH_SETTINGS -Dswitchboard.inbound.per-second=1000000 -Dswitchboard.inbound.burst=1000000"
BENCH_SETTINGS="$BENCH_SETTINGS -Dswitchboard.send.queue.limit=100000 -Dswitchboard.user.max-connections=100"
# Every load client comes from 127.0.0.1, and the idle scenario holds 19,000 connections.
BENCH_SETTINGS="$BENCH_SETTINGS -Dswitchboard.connections.max=30000 -Dswitchboard.connections.per-address=30000"

# Prepares every server from Maven Central (the same versions the tests use) and builds both WARs.
prepare_servers() {
  ( cd "$PROJECT" && mvn -B -q -DskipTests -DskipITs -Dit.payara.skip=false -Dit.wildfly.skip=false \
      pre-integration-test \
    && mvn -B -q dependency:unpack -Dartifact="org.apache.tomcat:tomcat:$(tomcat_version):zip" \
      -DoutputDirectory=target/bench-tomcat )
}

tomcat_version() {
  sed -n 's:.*<tomcat.version>\(.*\)</tomcat.version>.*:\1:p' "$PROJECT/pom.xml"
}

wildfly_home() {
  ls -d "$PROJECT"/target/wildfly-*.Final | head -1
}

# start_payara PORT LOGFILE [SETTINGS...]: one Payara Micro node in the background; PAYARA_PID.
start_payara() {
  local port=$1 log=$2
  shift 2
  java $BENCH_JVM_OPTS $BENCH_SETTINGS "$@" -jar "$PROJECT/target/payara-micro.jar" \
    --deploy "$PROJECT/target/switchboard.war" --contextroot / --port "$port" \
    --prebootcommandfile "$PROJECT/server-config/payara/pre-boot-commands.asadmin" \
    --nohazelcast --disablephonehome --rootdir "$PROJECT/target/bench-payara-$port" >"$log" 2>&1 &
  PAYARA_PID=$!
}

# start_server NAME PORT LOGFILE: starts it in the background and sets SERVER_PID (the JVM's pid).
# 'cluster' is two Payara Micro nodes (PORT and PORT+1) on one Redis (PORT+7): SERVER_PID is the
# first node's; CLUSTER_URLS, CLUSTER_PIDS (both nodes and Redis) and CLUSTER_REDIS_PORT say the rest.
start_server() {
  local name=$1 port=$2 log=$3
  case "$name" in
    payara)
      start_payara "$port" "$log"
      SERVER_PID=$PAYARA_PID
      ;;
    cluster)
      CLUSTER_REDIS_PORT=$((port + 7))
      redis-server --port "$CLUSTER_REDIS_PORT" --bind 127.0.0.1 --save "" --appendonly no \
        --daemonize no >"$log.redis" 2>&1 &
      local redis=$!
      for _ in $(seq 100); do
        redis-cli -p "$CLUSTER_REDIS_PORT" ping >/dev/null 2>&1 && break
        sleep 0.1
      done
      local url="redis://127.0.0.1:$CLUSTER_REDIS_PORT"
      start_payara "$port" "$log" -Dswitchboard.redis.url="$url" -Dswitchboard.node.id=bench-a
      local a=$PAYARA_PID
      start_payara $((port + 1)) "$log.b" -Dswitchboard.redis.url="$url" -Dswitchboard.node.id=bench-b
      local b=$PAYARA_PID
      wait_for_http "http://127.0.0.1:$((port + 1))/health/ready" 240 "$name (second node)" "$b" || return 1
      SERVER_PID=$a
      CLUSTER_URLS="ws://127.0.0.1:$port,ws://127.0.0.1:$((port + 1))"
      CLUSTER_PIDS="$a,$b,$redis"
      PIDS_TO_STOP+=("$b" "$redis")
      ;;
    wildfly)
      # A server base of its own, so the tests' WildFly never sees the benchmark's deployment.
      local home base
      home=$(wildfly_home)
      base="$PROJECT/target/bench-wildfly-base"
      rm -rf "$base" && cp -r "$home/standalone" "$base"
      cp "$PROJECT/target/switchboard.war" "$base/deployments/"
      JAVA_OPTS="$BENCH_JVM_OPTS $BENCH_SETTINGS -Djava.net.preferIPv4Stack=true" \
        "$home/bin/standalone.sh" -Djboss.server.base.dir="$base" -Djboss.http.port="$port" \
        -Djboss.socket.binding.port-offset=0 -Djboss.management.http.port=$((port + 1990)) \
        >"$log" 2>&1 &
      local shell=$!
      wait_for_http "http://127.0.0.1:$port/health/ready" 240 "$name" "$shell" || return 1
      # standalone.sh runs helper JVMs before the server's: the server is the one on this base.
      SERVER_PID=$(pgrep -f -- "jboss-modules.jar.*-Djboss.server.base.dir=$base" | head -1)
      [ -n "$SERVER_PID" ]
      return
      ;;
    tomcat)
      local home base
      home="$PROJECT/target/bench-tomcat/apache-tomcat-$(tomcat_version)"
      base="$PROJECT/target/bench-tomcat/base"
      rm -rf "$base" && mkdir -p "$base/webapps" "$base/logs" "$base/temp" "$base/work" "$base/bin"
      cp -r "$home/conf" "$base/conf"
      cp "$PROJECT/server-config/tomcat/server.xml" "$base/conf/server.xml"
      cp "$PROJECT/server-config/tomcat/setenv.sh" "$base/bin/setenv.sh"
      cp "$PROJECT/target/switchboard-tomcat.war" "$base/webapps/ROOT.war"
      # 'run' execs the JVM in place, so $! is the JVM (bash: the zip keeps no execute bits).
      SWITCHBOARD_PORT=$port CATALINA_HOME="$home" CATALINA_BASE="$base" \
        CATALINA_OPTS="$BENCH_JVM_OPTS $BENCH_SETTINGS" bash "$home/bin/catalina.sh" run >"$log" 2>&1 &
      SERVER_PID=$!
      ;;
    *)
      echo "unknown server: $name" >&2
      return 1
      ;;
  esac
  # Ready, not merely answering: Payara Micro answers its root before the WAR is deployed, and a load
  # started then meets 503s.
  wait_for_http "http://127.0.0.1:$port/health/ready" 240 "$name" "$SERVER_PID"
}

# wait_for_http URL SECONDS NAME [PID] [STATUS]: until the URL answers STATUS (200), or fail (at once
# if PID is gone).
wait_for_http() {
  local url=$1 seconds=$2 name=$3 pid=${4:-} status=${5:-200}
  for _ in $(seq $((seconds * 2))); do
    if [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; then
      echo "$name exited before it answered $url" >&2
      return 1
    fi
    if [ "$(http_status "$url")" = "$status" ]; then
      return 0
    fi
    sleep 0.5
  done
  echo "$name did not answer $url within ${seconds}s" >&2
  return 1
}

# http_status URL: the status code of a GET, or 000 when nothing answers (Node: no curl needed).
http_status() {
  node -e 'require("http").get(process.argv[1], (r) => { console.log(r.statusCode); r.resume(); })
    .on("error", () => console.log("000")).setTimeout(2000, function () { this.destroy(); });' "$1"
}

# stop_server PID: asks the JVM to stop, then insists.
stop_server() {
  local pid=$1
  [ -z "$pid" ] && return 0
  kill "$pid" 2>/dev/null || return 0
  for _ in $(seq 60); do
    kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.5
  done
  kill -9 "$pid" 2>/dev/null || true
}
