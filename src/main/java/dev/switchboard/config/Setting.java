package dev.switchboard.config;

import java.util.Locale;

/**
 * Every setting Switchboard reads: one documented name, readable as a system property
 * ({@code switchboard.idle.timeout}) or an environment variable ({@code SWITCHBOARD_IDLE_TIMEOUT}).
 */
public enum Setting {
    /** This node's id among a site's nodes (in connection ids, logs and the chat welcome); random when unset. */
    NODE_ID("switchboard.node.id", ""),
    /**
     * The Redis server(s) of a site with several nodes: {@code redis://[:password@]host:port[/db]} or
     * {@code rediss://} for TLS; several, comma-separated, spread the rooms (a room always lives on one).
     * Unset: everything in this node's memory.
     */
    REDIS_URL("switchboard.redis.url", ""),
    /** How often the server sends a WebSocket ping to every connection. */
    HEARTBEAT_INTERVAL("switchboard.heartbeat.interval", "25s"),
    /** A connection that sends nothing, not even a pong, for this long is closed with 4000. */
    IDLE_TIMEOUT("switchboard.idle.timeout", "60s"),
    /**
     * On shutdown or undeploy, every connection is closed with 1001 in batches spread over this long,
     * so clients do not all reconnect at once; the server stops after it.
     */
    SHUTDOWN_DRAIN("switchboard.shutdown.drain", "2s"),
    /**
     * How long readiness ({@code /health/ready}) answers 503 before connections are told 1001, on shutdown
     * or undeploy: long enough for a load balancer's health check to stop sending new clients here.
     */
    SHUTDOWN_UNREADY_FIRST("switchboard.shutdown.unready-first", "2s"),
    /**
     * The key of the server API ({@code /api/publish}, {@code /api/users/…}, {@code /api/rooms}, the admin
     * page), sent as {@code Authorization: Bearer <key>}; at least 16 characters. Unset: that API is off (404).
     */
    API_KEY("switchboard.api.key", ""),
    /** Networks whose clients may read {@code /metrics} without a token, comma-separated ({@code 10.0.0.0/8}); {@code none} for none. */
    METRICS_NETWORKS("switchboard.metrics.networks", "127.0.0.0/8,::1"),
    /** A bearer token that lets any client read {@code /metrics}; unset: only the networks above may. */
    METRICS_TOKEN("switchboard.metrics.token", ""),
    /** {@code text}: the server's usual log lines; {@code json}: one JSON object per line (for log shippers). */
    LOG_FORMAT("switchboard.log.format", "text"),
    /** Largest accepted message in bytes; a larger one closes the connection with 1009. */
    MESSAGE_MAX_BYTES("switchboard.message.max-bytes", "65536"),
    /**
     * How long a connection the server has closed stays open for the client to read up to the close frame
     * and answer it (RFC 6455 §7.1.1); what the client sends meanwhile is dropped. Payara only: WildFly and
     * Tomcat write what is queued, then the close frame, before they close.
     */
    CLOSE_LINGER("switchboard.close.linger", "5s"),
    /** Frames waiting to be written to one connection; one more closes it with 4001. */
    SEND_QUEUE_LIMIT("switchboard.send.queue.limit", "256"),
    /**
     * Bytes that may wait for one connection, queued or sent and not yet read by the client (as its
     * pongs confirm); more close it with 4001.
     */
    SEND_BUFFER_MAX_BYTES("switchboard.send.buffer.max-bytes", "4194304"),
    /** HS256 secret for chat tokens, at least 32 bytes; generated at start-up (with a warning) when unset. */
    TOKEN_SECRET("switchboard.token.secret", ""),
    /**
     * Whether {@code POST /api/token} issues tokens. Set false when the HS256 secret is shared with the
     * site's own identity provider, so that only that provider mints tokens.
     */
    TOKEN_ISSUE("switchboard.token.issue", "true"),
    /** PEM RS256 public key of an outside identity provider; when set, only its tokens are accepted. */
    TOKEN_PUBLIC_KEY("switchboard.token.public-key", ""),
    /** Required {@code iss} claim of accepted tokens; empty accepts any issuer. */
    TOKEN_ISSUER("switchboard.token.issuer", ""),
    /** How long a token from {@code POST /api/token} is valid. */
    TOKEN_TTL("switchboard.token.ttl", "12h"),
    /** Origins allowed to open chat WebSockets, comma-separated; empty means the server's own origin, * any. */
    ALLOWED_ORIGINS("switchboard.origins", ""),
    /** Open chat connections one user may have at once. */
    USER_MAX_CONNECTIONS("switchboard.user.max-connections", "10"),
    /** WebSocket connections the server takes in all, on every endpoint; one more handshake gets 503. */
    CONNECTIONS_MAX("switchboard.connections.max", "10000"),
    /** WebSocket connections one client address may have open, on every endpoint; one more gets 429. */
    CONNECTIONS_PER_ADDRESS("switchboard.connections.per-address", "500"),
    /** Rooms one chat connection may be in at once; one more join is refused with {@code too_many_rooms}. */
    CONNECTION_MAX_ROOMS("switchboard.connection.max-rooms", "100"),
    /**
     * Names the built-in token issuer keeps held for the browsers that took them (each while its token is
     * valid, it is connected, or whispers wait for it); past it, {@code POST /api/token} answers 503.
     */
    NAMES_MAX_CLAIMED("switchboard.names.max-claimed", "100000"),
    /** Tokens {@code POST /api/token} gives one client address per minute (sustained, and in a burst); more get 429. */
    TOKEN_PER_MINUTE("switchboard.token.per-minute", "30"),
    /** Messages each room keeps for history and recovery. */
    HISTORY_SIZE("switchboard.history.size", "100"),
    /** Messages a join that does not recover is sent (the most recent the room keeps); older ones come with {@code history}. */
    HISTORY_REPLAY("switchboard.history.replay", "50"),
    /** How long after saying it a member may edit or delete their own message (a namespace's {@code editWindow} may differ). */
    EDIT_WINDOW("switchboard.edit.window", "1h"),
    /** The reactions members may give room messages, comma-separated (emoji, or words of up to 8 characters). */
    REACTIONS("switchboard.reactions", "👍,❤️,😂,😮,😢,🎉"),
    /** Rooms whose history is kept; past it, the history of the room least recently used with nobody in it is dropped. */
    HISTORY_MAX_ROOMS("switchboard.history.max-rooms", "10000"),
    /** Bytes of message text kept in all rooms' history; past it, idle rooms' history goes first, then the oldest messages. */
    HISTORY_MAX_BYTES("switchboard.history.max-bytes", "268435456"),
    /** How long a room keeps a message. */
    HISTORY_TTL("switchboard.history.ttl", "24h"),
    /**
     * Chat's namespaces and their rules, as JSON ({@code {"default": {...}, "namespaces": {"team": {...}}}}),
     * given inline or as the path of a file; empty: every room follows the default rules the other settings give.
     */
    NAMESPACES("switchboard.namespaces", ""),
    /** Whispers kept for one offline user. */
    INBOX_SIZE("switchboard.inbox.size", "100"),
    /** Whispers kept for offline users in all; past it, a whisper to an offline user is refused ({@code inbox_full}). */
    INBOX_MAX_TOTAL("switchboard.inbox.max-total", "100000"),
    /** How long an offline user's whisper is kept. */
    INBOX_TTL("switchboard.inbox.ttl", "7d"),
    /** Chat messages (say, whisper) per second one user may send, sustained. */
    RATE_CHAT_PER_SECOND("switchboard.rate.chat.per-second", "10"),
    /** Chat messages one user may send in a burst. */
    RATE_CHAT_BURST("switchboard.rate.chat.burst", "30"),
    /** Messages per second one user may send to one live room (rooms named live…). */
    RATE_LIVE_PER_SECOND("switchboard.rate.live.per-second", "2"),
    /** Messages one user may send to one live room in a burst. */
    RATE_LIVE_BURST("switchboard.rate.live.burst", "5"),
    /**
     * Refused frames (over a rate limit or the inbound budget, or answered with an error) one connection
     * may send within a ten-second window (starting at its first strike); one more closes it with 1008.
     */
    RATE_STRIKES("switchboard.rate.strikes", "50"),
    /** Frames of any kind (messages, pongs, bad frames) per second one connection may send, sustained, on every endpoint. */
    INBOUND_PER_SECOND("switchboard.inbound.per-second", "100"),
    /** Frames one connection may send in a burst before the inbound budget refuses them. */
    INBOUND_BURST("switchboard.inbound.burst", "200"),
    /** Joins and leaves in a room are gathered for this long and announced in one presence frame. */
    PRESENCE_INTERVAL("switchboard.presence.interval", "250ms"),
    /**
     * With several nodes: a node's connections stay present this long after its last renewal (every
     * third of it); a node that dies leaves its users in rooms no longer than this.
     */
    PRESENCE_LEASE("switchboard.presence.lease", "30s"),
    /**
     * How often a node compares each log it follows with the store. A follower still behind where the
     * store was at the previous check missed an entry (pub/sub lost it, and no later one came to show
     * the gap): it reads it back. So a lost last message arrives within two of these.
     */
    POSITION_CHECK("switchboard.position-check", "5s"),
    /**
     * Support agents and supervisors who log in with a password, comma-separated, each
     * {@code name:role:bcrypt-hash[:capacity[:department+department]]} (role {@code agent} or
     * {@code supervisor}); print a hash with the command the README gives.
     */
    SUPPORT_ACCOUNTS("switchboard.support.accounts", ""),
    /** Conversations an agent handles at once, unless their account says otherwise. */
    SUPPORT_CAPACITY("switchboard.support.capacity", "3"),
    /** How long an offered conversation waits for its agent to answer before it is offered to the next. */
    SUPPORT_OFFER_TIMEOUT("switchboard.support.offer-timeout", "30s"),
    /** How long an agent whose last connection closed keeps their conversations before they go back to the queue. */
    SUPPORT_AGENT_GRACE("switchboard.support.agent-grace", "20s"),
    /** How long a customer waiting in the queue may be without a connection before their conversation is abandoned. */
    SUPPORT_CUSTOMER_GRACE("switchboard.support.customer-grace", "60s"),
    /** Agents' and supervisors' connections that send nothing (not even a pong) for this long are closed (4000): their loss is noticed within seconds. */
    SUPPORT_AGENT_TIMEOUT("switchboard.support.agent-timeout", "10s"),
    /** Canned replies offered to agents, separated by '|'. */
    SUPPORT_CANNED("switchboard.support.canned", "Hello! How can I help?|Thanks for waiting.|Is there anything else I can do for you?"),
    /** The handle time the wait estimate assumes until five conversations have been handled. */
    SUPPORT_HANDLE_TIME("switchboard.support.handle-time", "4m"),
    /**
     * When the desk takes conversations, in its zone: {@code Mon-Fri 09:00-17:00, Sat 10:00-14:00}; empty:
     * always. Outside them customers are told so and may leave a message.
     */
    SUPPORT_HOURS("switchboard.support.hours", ""),
    /** The time zone of the desk's day (its figures start again at midnight there). */
    SUPPORT_ZONE("switchboard.support.zone", "UTC"),
    /** Messages each conversation's transcript keeps. */
    SUPPORT_TRANSCRIPT_SIZE("switchboard.support.transcript.size", "1000"),
    /** How long a transcript is kept after its last message. */
    SUPPORT_TRANSCRIPT_TTL("switchboard.support.transcript.ttl", "30d"),
    /**
     * Where webhook events are sent ({@code POST}), comma-separated; each URL has its own queue and
     * position. Unset: no events.
     */
    WEBHOOKS_URL("switchboard.webhooks.url", ""),
    /** Secret(s), comma-separated, that sign webhook events and authorization-proxy requests (at least 16 bytes each). */
    WEBHOOKS_SECRET("switchboard.webhooks.secret", ""),
    /** Event types sent, comma-separated ({@code user.*} for a family); {@code all} for every type. */
    WEBHOOKS_EVENTS("switchboard.webhooks.events", "all"),
    /** A user (or room) gone from every node stays online (occupied) this long before it is offline (vacated). */
    WEBHOOKS_OFFLINE_GRACE("switchboard.webhooks.offline-grace", "30s"),
    /** How long one delivery may take before it counts as failed and is tried again. */
    WEBHOOKS_TIMEOUT("switchboard.webhooks.timeout", "5s"),
    /** The longest pause between two tries of an event (the pause doubles from 1 s up to it). */
    WEBHOOKS_RETRY_MAX("switchboard.webhooks.retry-max", "60s"),
    /** Events waiting for one URL at most; past it the oldest are dropped (and counted). */
    WEBHOOKS_BACKLOG("switchboard.webhooks.backlog", "10000"),
    /** How long an event waits for its URL at most; older ones are dropped (and counted). */
    WEBHOOKS_MAX_AGE("switchboard.webhooks.max-age", "24h"),
    /** A customer waiting in the desk's queue this long makes one {@code support.queue_waiting} event. */
    WEBHOOKS_QUEUE_WAITING("switchboard.webhooks.queue-waiting", "2m"),
    /** Users one chat connection may watch for online and offline at once. */
    WATCH_MAX("switchboard.watch.max", "100"),
    /**
     * Rooms whose members are not told of joins and leaves, comma-separated; a name ending in {@code *}
     * is a prefix; {@code none} for no quiet room. Members are still counted and listed.
     */
    PRESENCE_QUIET_ROOMS("switchboard.presence.quiet-rooms", "live*"),
    /** Members listed by name in a {@code joined} frame; the count is always exact, the full list is over HTTP. */
    PRESENCE_LIST_MAX("switchboard.presence.list-max", "100"),
    /**
     * The site's back end that authorizes joins and says in namespaces with {@code proxyJoin} or
     * {@code proxySay} (and connections, with {@code switchboard.proxy.connect}); unset: nobody is asked.
     */
    PROXY_URL("switchboard.proxy.url", ""),
    /** How long a node waits for the authorization proxy's answer; later counts as no answer. */
    PROXY_TIMEOUT("switchboard.proxy.timeout", "1s"),
    /** What no answer from the authorization proxy means: {@code closed} refuses, {@code open} allows. */
    PROXY_FAIL("switchboard.proxy.fail", "closed"),
    /** How long the proxy's answer to a user's join of a room is kept and reused; {@code 0s}: never. */
    PROXY_CACHE("switchboard.proxy.cache", "0s"),
    /** Whether a chat connection asks the authorization proxy as it opens (which may add the user's info). */
    PROXY_CONNECT("switchboard.proxy.connect", "false");

    private final String property;
    private final String defaultValue;

    Setting(String property, String defaultValue) {
        this.property = property;
        this.defaultValue = defaultValue;
    }

    /** The system property name. */
    public String property() {
        return property;
    }

    /** The environment variable name: the property upper-cased, dots and dashes made underscores. */
    public String environmentVariable() {
        return property.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
    }

    /** The default value: empty means "not set". */
    public String defaultValue() {
        return defaultValue;
    }
}
