# Tomcat's $CATALINA_BASE/bin/setenv.sh for Switchboard.
#  - No permessage-deflate: the same frames as Payara and WildFly send, and no per-connection
#    compression buffers when thousands of WebSockets are open.
#  - switchboard.port: the HTTP port server.xml listens on.
# Switchboard's own settings (README, "Configuration") can be added here as -D options too.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DISABLE_BUILTIN_EXTENSIONS=true"
CATALINA_OPTS="$CATALINA_OPTS -Dswitchboard.port=${SWITCHBOARD_PORT:-8080}"
export CATALINA_OPTS
