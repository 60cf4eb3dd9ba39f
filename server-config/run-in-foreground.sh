#!/bin/sh
# Runs a server (the rest of the command line) for a Maven run command, and makes sure it ends with
# Maven: Ctrl-C or SIGTERM to Maven (an IDE's stop button) stop it cleanly (one SIGTERM, so its
# connections get 1001 first), and so does Maven ending any other way, which exec-maven-plugin does
# not see to.
"$@" &
server=$!
maven=$PPID
told=""
stop() {
    if [ -z "$told" ]; then
        told=yes
        kill -TERM "$server" 2>/dev/null
    fi
}
trap stop INT TERM HUP
while kill -0 "$server" 2>/dev/null; do
    if ! kill -0 "$maven" 2>/dev/null; then
        stop # Maven is gone: so is the run
    fi
    sleep 1
done
wait "$server"
