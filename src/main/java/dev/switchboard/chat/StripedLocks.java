package dev.switchboard.chat;

/** A fixed number of locks shared out by key: as many rooms or users as clients make up cost no more locks. */
final class StripedLocks {

    private final Object[] locks;

    StripedLocks(int stripes) {
        locks = new Object[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = new Object();
        }
    }

    Object of(String key) {
        return locks[Math.floorMod(key.hashCode(), locks.length)];
    }
}
