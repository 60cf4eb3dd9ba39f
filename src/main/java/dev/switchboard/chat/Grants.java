package dev.switchboard.chat;

import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * What a token grants in rooms: its {@code grants} claim, an object from a room or a pattern (a prefix
 * and '*': {@code team-42:*}, or '*' for every room) to the rights given there ({@code join},
 * {@code say}, {@code moderate}, which includes the other two). Entries that are not of that shape give
 * nothing; the rest of the token still counts.
 */
public final class Grants {

    /** What a user may do in a room beyond what its namespace lets anyone do. */
    public enum Right {
        JOIN, SAY, MODERATE;

        /** The right as the claim spells it. */
        String claimName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The claim that carries the grants. */
    public static final String CLAIM = "grants";

    /** No grants: a token without the claim. */
    public static final Grants NONE = new Grants(List.of());

    private record Grant(String pattern, Set<Right> rights) {
        boolean covers(String room) {
            return pattern.endsWith("*") ? room.startsWith(pattern.substring(0, pattern.length() - 1)) : pattern.equals(room);
        }
    }

    private final List<Grant> grants;

    private Grants(List<Grant> grants) {
        this.grants = grants;
    }

    /** The grants of a claim as a JWT library reads it (an object of lists of strings); none when absent or not that shape. */
    public static Grants of(Object claim) {
        if (!(claim instanceof Map<?, ?> map)) {
            return NONE;
        }
        List<Grant> read = new ArrayList<>();
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            if (entry.getKey() instanceof String pattern && !pattern.isEmpty() && pattern.length() <= 65
                    && entry.getValue() instanceof Collection<?> names) {
                read.add(new Grant(pattern, rightsOf(names)));
            }
        }
        return read.isEmpty() ? NONE : new Grants(List.copyOf(read));
    }

    /** The rights a room token lists ({@code rights} claim: a list of names), {@code moderate} including the rest. */
    static Set<Right> rightsOf(Object claim) {
        Set<Right> rights = EnumSet.noneOf(Right.class);
        if (claim instanceof Collection<?> names) {
            for (Object name : names) {
                for (Right right : Right.values()) {
                    if (right.claimName().equals(name)) {
                        rights.add(right);
                    }
                }
            }
        }
        if (rights.contains(Right.MODERATE)) {
            rights.addAll(EnumSet.allOf(Right.class));
        }
        return rights;
    }

    /** These grants and, in exactly these rooms, these rights too (room tokens). */
    Grants plus(Map<String, Set<Right>> byRoom) {
        if (byRoom.isEmpty()) {
            return this;
        }
        List<Grant> all = new ArrayList<>(grants);
        byRoom.forEach((room, rights) -> all.add(new Grant(room, Set.copyOf(rights)))); // a room name has no "*": matched whole
        return new Grants(List.copyOf(all));
    }

    /** Whether these grants give the right in the room. */
    public boolean allow(Right right, String room) {
        for (Grant grant : grants) {
            if (grant.rights().contains(right) && grant.covers(room)) {
                return true;
            }
        }
        return false;
    }
}
