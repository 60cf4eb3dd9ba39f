package dev.switchboard.engine.redis;

/** Where things live in Redis: every key and channel starts with {@code sb:}; a log's keys share its hash tag. */
final class Keys {

    private Keys() {
    }

    /** A log's epoch, last offset, retention and delivered mark. */
    static String meta(String log) {
        return "sb:{" + log + "}:meta";
    }

    /** A log's kept entries, oldest first, each {@code offset:millis:body}. */
    static String entries(String log) {
        return "sb:{" + log + "}:entries";
    }

    /** The pub/sub channel of a topic (a log's entries and its signals). */
    static String channel(String topic) {
        return "sb:t:" + topic;
    }

    static String topicOf(String channel) {
        return channel.substring("sb:t:".length());
    }

    /** A room's members (a sorted set, all scores 0: sorted by name). */
    static String members(String room) {
        return "sb:{p:" + room + "}:users";
    }

    /** The room whose members' key this is. */
    static String roomOfMembers(String membersKey) {
        return membersKey.substring("sb:{p:".length(), membersKey.length() - "}:users".length());
    }

    /** One user's connections in a room. */
    static String connections(String room, String user) {
        return "sb:{p:" + room + "}:c:" + user;
    }

    /** Present while its node renews it: the node's lease. */
    static String nodeLease(String node) {
        return "sb:node:" + node;
    }

    /** Every presence entry of a node's connections, {@code room\nuser\nconnection}: what to sweep when it dies. */
    static String nodePresence(String node) {
        return "sb:node:" + node + ":presence";
    }

    /** The ids of nodes that have presence entries. */
    static String nodes() {
        return "sb:nodes";
    }

    /** A user's connection places, on every node. */
    static String places(String user) {
        return "sb:{s:" + user + "}";
    }

    /** A user's client id claim or its ack. */
    static String ack(String user, String cid) {
        return "sb:ack:" + user + ":" + cid;
    }

    /** Who holds a name, and until when. */
    static String hold(String name) {
        return "sb:hold:" + name;
    }

    /** Every held name of a set ({@code ""}: user names), scored by the time its hold lapses. */
    static String holds(String set) {
        return set.isEmpty() ? "sb:holds" : "sb:holds:" + set;
    }

    /** A shared document: its text and version. */
    static String document(String key) {
        return "sb:doc:" + key;
    }
}
