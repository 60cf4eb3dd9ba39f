package dev.switchboard.webhooks;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/** Which event types are sent: {@code all}, or a list of types and families ({@code user.*}). */
final class EventTypes {

    /** Every type Switchboard sends. */
    static final Set<String> KNOWN = Set.of("user.online", "user.offline", "room.occupied", "room.vacated",
            "message.said", "message.edited", "message.deleted", "support.message_left", "support.conversation_closed", "support.conversation_rated",
            "support.queue_waiting");

    private final List<String> names;

    private EventTypes(List<String> names) {
        this.names = names;
    }

    static EventTypes of(String setting) {
        List<String> names = Arrays.stream(setting.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        for (String name : names) {
            boolean known = name.equals("all") || KNOWN.contains(name)
                    || name.endsWith(".*") && KNOWN.stream().anyMatch(t -> t.startsWith(name.substring(0, name.length() - 1)));
            if (!known) {
                throw SwitchboardConfig.invalid(Setting.WEBHOOKS_EVENTS, setting,
                        "all, or event types and families (user.*) among " + String.join(", ", KNOWN.stream().sorted().toList()));
            }
        }
        return new EventTypes(names);
    }

    boolean includes(String type) {
        return names.stream().anyMatch(n -> n.equals("all") || n.equals(type)
                || n.endsWith(".*") && type.startsWith(n.substring(0, n.length() - 1)));
    }
}
