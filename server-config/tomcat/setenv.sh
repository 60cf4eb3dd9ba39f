# Tomcat's $CATALINA_BASE/bin/setenv.sh for Switchboard.
#  - No permessage-deflate: the same frames as Payara and WildFly send, and no per-connection
#    compression buffers when thousands of WebSockets are open.
#  - WebSocket buffers of 2 KB instead of 8 KB: Tomcat allocates a frame buffer and a text and a
#    binary message buffer of this size for every connection as it opens (73 KB of heap per idle
#    connection with the defaults, 28 KB with these and server.xml's 4 KB socket buffers). Messages
#    up to switchboard.message.max-bytes still arrive whole: Switchboard raises each session's limit.
#  - switchboard.port: the HTTP port server.xml listens on.
# Switchboard's own settings (README, "Configuration") can be added here as -D options too.
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DISABLE_BUILTIN_EXTENSIONS=true"
CATALINA_OPTS="$CATALINA_OPTS -Dorg.apache.tomcat.websocket.DEFAULT_BUFFER_SIZE=2048"
CATALINA_OPTS="$CATALINA_OPTS -Dswitchboard.port=${SWITCHBOARD_PORT:-8080}"
export CATALINA_OPTS
