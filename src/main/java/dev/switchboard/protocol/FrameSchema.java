package dev.switchboard.protocol;

import java.util.HashSet;
import java.util.Set;

/**
 * What frames an endpoint takes from clients: their types, and their fields with each one's kind;
 * and the types it only sends, which a client that sends one is told it may not ({@code
 * unsupported_type}) rather than that they do not exist ({@code unknown_type}). {@code type} and
 * {@code cid} are always text fields.
 */
public record FrameSchema(Set<String> types, Set<String> sentTypes, Set<String> textFields, Set<String> numberFields,
        Set<String> textListFields) {

    public FrameSchema {
        types = Set.copyOf(types);
        sentTypes = Set.copyOf(sentTypes);
        textFields = Set.copyOf(textFields);
        numberFields = Set.copyOf(numberFields);
        textListFields = Set.copyOf(textListFields);
    }

    /** Frames whose fields are texts and numbers only. */
    public FrameSchema(Set<String> types, Set<String> sentTypes, Set<String> textFields, Set<String> numberFields) {
        this(types, sentTypes, textFields, numberFields, Set.of());
    }

    /**
     * The same frames and fields, of which clients may send only {@code type}: the schema's other types
     * become types clients are told they may not send ({@code unsupported_type}).
     */
    public FrameSchema takingOnly(String type) {
        Set<String> others = new HashSet<>(types);
        others.addAll(sentTypes);
        others.remove(type);
        return new FrameSchema(Set.of(type), others, textFields, numberFields, textListFields);
    }

    boolean isText(String field) {
        return "type".equals(field) || "cid".equals(field) || textFields.contains(field);
    }

    boolean isNumber(String field) {
        return numberFields.contains(field);
    }

    boolean isTextList(String field) {
        return textListFields.contains(field);
    }
}
