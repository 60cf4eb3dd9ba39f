package dev.switchboard.chat;

/**
 * What a chat connection's token grants in rooms; replaced when the client refreshes its token, so a
 * site can widen or narrow a user's rights without a reconnect.
 */
final class ConnectionRights {

    private volatile Grants grants;

    ConnectionRights(Grants grants) {
        this.grants = grants;
    }

    Grants grants() {
        return grants;
    }

    void replace(Grants fresh) {
        grants = fresh;
    }
}
