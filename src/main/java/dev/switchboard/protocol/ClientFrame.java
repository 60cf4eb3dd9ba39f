package dev.switchboard.protocol;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One client frame as read against its endpoint's {@link FrameSchema}: its type, its client id, and
 * the fields the schema names, each of its own kind (text, a whole number of at least 0, or a list of texts). Fields
 * the schema does not name were skipped.
 */
public record ClientFrame(String type, String cid, Map<String, String> texts, Map<String, Long> numbers,
        Map<String, List<String>> textLists, long receivedBytes) {

    /** A frame without lists. */
    public ClientFrame(String type, String cid, Map<String, String> texts, Map<String, Long> numbers, long receivedBytes) {
        this(type, cid, texts, numbers, Map.of(), receivedBytes);
    }

    /** A list of texts ({@code ["bob", "carol"]}). */
    public Optional<List<String>> textList(String field) {
        return Optional.ofNullable(textLists.get(field));
    }

    public Optional<String> text(String field) {
        return Optional.ofNullable(texts.get(field));
    }

    public OptionalLong number(String field) {
        Long value = numbers.get(field);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }
}
