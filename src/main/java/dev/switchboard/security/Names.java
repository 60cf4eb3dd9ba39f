package dev.switchboard.security;

import java.util.regex.Pattern;

/** What a user name and a room name may be. */
public final class Names {

    private static final Pattern USER = Pattern.compile("[A-Za-z0-9_.-]{1,32}");
    private static final Pattern ROOM = Pattern.compile("[A-Za-z0-9_.:#-]{1,64}");

    /** What a room name may be, as refusals say it. */
    public static final String ROOM_RULE = "A room is 1-64 letters, digits, '_', '-', '.', ':', '#'";

    private Names() {
    }

    /** 1–32 letters, digits, '_', '-', '.'. */
    public static boolean isUser(String name) {
        return name != null && USER.matcher(name).matches();
    }

    /** 1–64 letters, digits, '_', '-', '.', ':', '#' (a personal room is {@code ns:#user}). */
    public static boolean isRoom(String name) {
        return name != null && ROOM.matcher(name).matches();
    }
}
