package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.security.Names;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import jakarta.json.stream.JsonParsingException;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Which rules each room follows. A room named {@code ns:rest} belongs to namespace {@code ns}, one
 * without a colon to the default namespace; namespaces and their rules come from
 * {@code switchboard.namespaces} (JSON, inline or in a file), checked as the application starts.
 * Without it every room follows the default rules, which the other settings give.
 */
@ApplicationScoped
public class Namespaces {

    private static final Pattern NAMESPACE = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Set<String> TOP_LEVEL = Set.of("default", "namespaces");

    @Inject
    SwitchboardConfig config;

    private RoomRules defaults;
    private Map<String, RoomRules> namespaces = Map.of();
    /** Namespaces were listed: a room in any other one does not exist. */
    private boolean listed;

    /** Read at start-up, not at the first join: a bad configuration stops the application with its reason. */
    void checkWithTheApplication(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        rulesOf(ChatService.DEFAULT_ROOM);
    }

    @PostConstruct
    void readSettings() {
        RoomRules fromSettings = new RoomRules(config.positiveInt(Setting.HISTORY_SIZE), config.duration(Setting.HISTORY_TTL),
                true, true, null, RoomRules.Join.ANYONE, RoomRules.Say.MEMBERS, 0,
                config.positiveInt(Setting.MESSAGE_MAX_BYTES), Duration.ZERO, false, false, false,
                config.wholeNumber(Setting.HISTORY_REPLAY), config.durationOrZero(Setting.EDIT_WINDOW));
        try {
            configure(read(config.text(Setting.NAMESPACES)), fromSettings);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("Setting " + Setting.NAMESPACES.property() + " ("
                    + Setting.NAMESPACES.environmentVariable() + "): " + e.getMessage(), e);
        }
    }

    /** The setting's JSON: given inline (it starts with '{'), or the file it names; empty when unset. */
    private static String read(String setting) {
        if (setting.isEmpty() || setting.startsWith("{")) {
            return setting;
        }
        try {
            return Files.readString(Path.of(setting), StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("cannot read the file " + setting + ": " + e);
        }
    }

    /** Takes the namespaces this JSON describes (none when empty), over the rules the settings give. */
    void configure(String json, RoomRules fromSettings) {
        if (json.isBlank()) {
            defaults = fromSettings;
            namespaces = Map.of();
            listed = false;
            return;
        }
        JsonObject top;
        try {
            top = Json.createReader(new StringReader(json)).readObject();
        } catch (JsonParsingException | ClassCastException | IllegalStateException e) {
            throw new IllegalArgumentException("not a JSON object: " + e.getMessage());
        }
        Set<String> unknown = new TreeSet<>(top.keySet());
        unknown.removeAll(TOP_LEVEL);
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("unknown entry " + String.join(", ", unknown) + " (known: default, namespaces)");
        }
        RoomRules base = fromSettings;
        if (top.containsKey("default")) {
            base = RoomRules.read(object(top.get("default"), "default"), fromSettings, "default");
        }
        boolean proxied = !config.text(Setting.PROXY_URL).isEmpty();
        check(base, "default", fromSettings.maxMessageBytes(), proxied);
        Map<String, RoomRules> read = new HashMap<>();
        if (top.containsKey("namespaces")) {
            for (Map.Entry<String, JsonValue> entry : object(top.get("namespaces"), "namespaces").entrySet()) {
                String name = entry.getKey();
                String where = "namespace '" + name + "'";
                if (!NAMESPACE.matcher(name).matches()) {
                    throw new IllegalArgumentException(where + ": a namespace is 1-32 letters, digits, '_', '-', '.'");
                }
                RoomRules rules = RoomRules.read(object(entry.getValue(), where), base, where);
                check(rules, where, fromSettings.maxMessageBytes(), proxied);
                read.put(name, rules);
            }
        }
        defaults = base;
        namespaces = Map.copyOf(read);
        listed = top.containsKey("namespaces");
    }

    private static JsonObject object(JsonValue value, String where) {
        if (value instanceof JsonObject object) {
            return object;
        }
        throw new IllegalArgumentException(where + ": must be a JSON object of options (was " + value + ")");
    }

    private static void check(RoomRules rules, String where, int frameLimit, boolean proxied) {
        if (rules.historySize() < 1) {
            throw new IllegalArgumentException(where + ": historySize must be at least 1 (a room's log is how its members get every message once and in order)");
        }
        if (rules.maxMessageBytes() < 1 || rules.maxMessageBytes() > frameLimit) {
            throw new IllegalArgumentException(where + ": maxMessageBytes must be from 1 to "
                    + Setting.MESSAGE_MAX_BYTES.property() + " (" + frameLimit + ")");
        }
        if ((rules.proxyJoin() || rules.proxySay()) && !proxied) {
            throw new IllegalArgumentException(where + ": proxyJoin and proxySay ask the site's back end, and "
                    + Setting.PROXY_URL.property() + " (" + Setting.PROXY_URL.environmentVariable() + ") does not say where it is");
        }
    }

    /** The namespace of a room: the part before its first colon, or "" (the default namespace) when it has none. */
    static String namespaceOf(String room) {
        int colon = room.indexOf(':');
        return colon < 0 ? "" : room.substring(0, colon);
    }

    /**
     * The rules the room follows; empty when namespaces are listed and the room's is not one of them (no
     * such room), or when a personal-rooms namespace's room is not {@code ns:#user}.
     */
    public Optional<RoomRules> rulesOf(String room) {
        String namespace = namespaceOf(room);
        RoomRules rules = namespace.isEmpty() ? defaults : namespaces.get(namespace);
        if (rules == null) {
            rules = listed ? null : defaults;
        }
        if (rules != null && rules.join() == RoomRules.Join.USER && ownerOf(room).isEmpty()) {
            return Optional.empty();
        }
        return Optional.ofNullable(rules);
    }

    /** The user a personal room {@code ns:#alice} belongs to, when it is one. */
    static Optional<String> ownerOf(String room) {
        int colon = room.indexOf(':');
        if (colon < 0 || !room.startsWith("#", colon + 1)) {
            return Optional.empty();
        }
        String user = room.substring(colon + 2);
        return Names.isUser(user) ? Optional.of(user) : Optional.empty();
    }

    /** Why a room has no rules, for the refusal: said without telling whether anyone is in it. */
    String noSuchRoom(String room) {
        String namespace = namespaceOf(room);
        RoomRules rules = namespaces.get(namespace);
        if (rules != null && rules.join() == RoomRules.Join.USER) {
            return "Rooms of namespace '" + namespace + "' are personal: '" + namespace + ":#' and a user name";
        }
        return "No namespace '" + namespace + "' on this server";
    }
}
