package dev.switchboard.chat;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import dev.switchboard.engine.Logs;
import dev.switchboard.protocol.ErrorCode;
import dev.switchboard.protocol.SharedFrame;
import dev.switchboard.reply.Replies;
import dev.switchboard.session.Connection;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * Reactions to room messages: a member adds or takes back one of the site's emoji
 * ({@code switchboard.reactions}) on a message, once per user per emoji. The message keeps who reacted
 * with what, and each reaction is an entry of the room's log carrying the summary it made, so members
 * learn of it live and a client resuming with {@code since} learns of those it missed, in order, once.
 * Concurrent reactions to one message each build on the other's version (compare and set), none lost.
 * Whispers take the same emoji under the same rules ({@link WhisperChanges}, with {@link #names} and {@link #toggled}).
 */
@ApplicationScoped
public class Reactions {

    @Inject
    Rooms rooms;

    @Inject
    Replies replies;

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private List<String> allowed;

    @PostConstruct
    void readSettings() {
        allowed = Arrays.stream(config.text(Setting.REACTIONS).split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
        if (allowed.isEmpty() || allowed.stream().anyMatch(e -> e.codePointCount(0, e.length()) > 8)) {
            throw SwitchboardConfig.invalid(Setting.REACTIONS, config.text(Setting.REACTIONS),
                    "emoji (or short words), comma-separated, each at most 8 characters");
        }
        allowed = List.copyOf(allowed);
    }

    /** A {@code react} ({@code add}) or {@code unreact} frame. */
    void react(Connection connection, ConnectionRights rights, String room, Long offset, String epoch, String emoji, boolean add,
            String cid) {
        if (!rooms.validRoom(connection, room, cid) || !rooms.joined(connection, room, cid)) {
            return;
        }
        if (!names(connection, offset, emoji, cid)) {
            return;
        }
        if (!rooms.maySpeak(connection, rights, room, null, cid) || !replies.withinRate(connection, room, cid)) {
            return;
        }
        String user = connection.user();
        rooms.amendMessage(room, offset, epoch, said -> {
            if (Boolean.TRUE.equals(said.deleted())) {
                throw new Logs.NotKept("deleted");
            }
            Map<String, List<String>> now = toggled(said.reactions(), emoji, user, add);
            return new Rooms.Amended(said.reactedTo(now), new Rooms.Change(Rooms.REACTED, offset, user, clock.millis(), emoji,
                    add, Rooms.summary(now)));
        }).whenComplete((entry, failure) -> {
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof Rooms.Refused refused) {
                replies.refuse(connection, SharedFrame.Error.of(refused.code, refused.getMessage()).withCid(cid));
            } else if (cause instanceof Logs.NotKept) {
                replies.refuse(connection, SharedFrame.Error.of(ErrorCode.NOT_FOUND,
                        "'" + room + "' keeps no message at offset " + offset).withCid(cid));
            } else if (failure != null) {
                replies.unavailable(connection, "reaction in " + room, failure, cid, "The reaction could not be kept now; try again later");
            } else {
                replies.reply(connection, new ChatFrame.Ack(cid, null, room, offset, null, null));
            }
        });
    }

    /** Whether a reaction names its message's {@code offset} and one of the site's emoji; if not, the refusal is answered. */
    boolean names(Connection connection, Long offset, String emoji, String cid) {
        if (offset == null || emoji == null) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.MISSING_FIELD,
                    "A reaction names the message's 'offset' and an 'emoji'").withCid(cid));
            return false;
        }
        if (!allowed.contains(emoji)) {
            replies.refuse(connection, SharedFrame.Error.of(ErrorCode.BAD_FIELD,
                    "'emoji' is one of " + String.join(" ", allowed)).withCid(cid));
            return false;
        }
        return true;
    }

    /**
     * The reactions (emoji: users) a message has once {@code user} added ({@code add}) or took back
     * {@code emoji}; refused (thrown) when the user gave it already, or had not given it.
     */
    static Map<String, List<String>> toggled(Map<String, List<String>> before, String emoji, String user, boolean add) {
        Map<String, List<String>> now = new LinkedHashMap<>();
        if (before != null) {
            before.forEach((e, users) -> now.put(e, new ArrayList<>(users)));
        }
        List<String> users = now.computeIfAbsent(emoji, e -> new ArrayList<>());
        if (add ? users.contains(user) : !users.contains(user)) {
            throw new Rooms.Refused(add ? ErrorCode.ALREADY_REACTED : ErrorCode.NOT_FOUND,
                    add ? "You reacted with " + emoji + " already" : "You have not reacted with " + emoji);
        }
        if (add) {
            users.add(user);
        } else {
            users.remove(user);
        }
        if (users.isEmpty()) {
            now.remove(emoji);
        }
        return now;
    }
}
