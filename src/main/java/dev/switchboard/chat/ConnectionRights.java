package dev.switchboard.chat;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * What a chat connection may do in rooms: its token's grants, replaced when the client refreshes its
 * token, and the rights of the room tokens it joined rooms with, each until its expiry, so a site can
 * widen or narrow a user's rights without a reconnect. It keeps the token's claims too, which the site's
 * back end is shown when it is asked about a join or a say.
 */
final class ConnectionRights {

    /** A room token's rights in its room, until it expires. */
    record RoomToken(Set<Grants.Right> rights, Instant expiresAt) {
    }

    /** What "now" is for room tokens' expiry; the tests set their own. */
    Clock clock = Clock.systemUTC();
    private Grants fromToken;
    private final Map<String, RoomToken> roomTokens = new HashMap<>();
    /** The token's grants plus the room tokens' rights that have not expired; made anew on every change. */
    private volatile Grants effective;
    private volatile Instant nextExpiry = Instant.MAX;
    private volatile Map<String, Object> claims;

    ConnectionRights(Grants grants) {
        this(grants, Map.of());
    }

    /** The rights a token with these claims gives, its grants taken from them. */
    ConnectionRights(Map<String, Object> claims) {
        this(Grants.of(claims.get(Grants.CLAIM)), claims);
    }

    private ConnectionRights(Grants grants, Map<String, Object> claims) {
        this.fromToken = grants;
        this.effective = grants;
        this.claims = claims;
    }

    /** The claims of the token the connection was opened or last refreshed with. */
    Map<String, Object> claims() {
        return claims;
    }

    /** What the connection may do now (room tokens past their expiry no longer count). */
    Grants grants() {
        if (!clock.instant().isBefore(nextExpiry)) {
            synchronized (this) {
                roomTokens.values().removeIf(t -> !clock.instant().isBefore(t.expiresAt()));
                recompute();
            }
        }
        return effective;
    }

    /** A refreshed connection token: its grants replace the old ones. */
    synchronized void replace(Grants fresh) {
        fromToken = fresh;
        recompute();
    }

    /** A refreshed connection token with these claims: its grants and claims replace the old ones. */
    synchronized void replace(Map<String, Object> freshClaims) {
        claims = freshClaims;
        replace(Grants.of(freshClaims.get(Grants.CLAIM)));
    }

    /** A room token for the room (joined or refreshed with): its rights, until it expires. */
    synchronized void roomToken(String room, RoomToken token) {
        roomTokens.put(room, token);
        recompute();
    }

    /** The room token the room was joined or refreshed with, if any. */
    synchronized Optional<RoomToken> roomToken(String room) {
        return Optional.ofNullable(roomTokens.get(room));
    }

    /** The room's token no longer counts (it expired, or the connection left the room). */
    synchronized void forgetRoomToken(String room) {
        if (roomTokens.remove(room) != null) {
            recompute();
        }
    }

    private void recompute() {
        Map<String, Set<Grants.Right>> byRoom = new HashMap<>();
        Instant next = Instant.MAX;
        for (Map.Entry<String, RoomToken> e : roomTokens.entrySet()) {
            byRoom.put(e.getKey(), e.getValue().rights());
            if (e.getValue().expiresAt().isBefore(next)) {
                next = e.getValue().expiresAt();
            }
        }
        effective = fromToken.plus(byRoom);
        nextExpiry = next;
    }
}
