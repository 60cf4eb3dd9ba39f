package dev.switchboard.engine.redis;

import dev.switchboard.engine.Presence;
import dev.switchboard.engine.Places;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.SetArgs;
import java.util.ArrayList;
import java.util.List;

/**
 * Presence in Redis, shared by every node: per room, a sorted set of its members by name (scores all 0,
 * so ordered by name) and, per member, the set of their connections there. A user becomes a member with
 * their first connection and stops with their last, whichever nodes those are on.
 *
 * <p>Every entry is also listed under its node, and the node renews a lease key. A node that dies stops
 * renewing; the next sweep by any live node takes that node's entries out in one script (so a leave is
 * found, and announced, once) and reports who left. A user's connection places are kept and swept the
 * same way (an entry with an empty room).
 */
final class RedisPresence implements Presence, Places {

    private static final String ENTER = """
            redis.call('SADD', KEYS[3], ARGV[3])
            local added = redis.call('SADD', KEYS[1], ARGV[1])
            if added == 1 and redis.call('SCARD', KEYS[1]) == 1 then
              redis.call('ZADD', KEYS[2], 0, ARGV[2])
              return 1
            end
            return 0
            """;

    private static final String EXIT = """
            redis.call('SREM', KEYS[3], ARGV[3])
            if redis.call('SREM', KEYS[1], ARGV[1]) == 1 and redis.call('SCARD', KEYS[1]) == 0 then
              redis.call('ZREM', KEYS[2], ARGV[2])
              return 1
            end
            return 0
            """;

    /** A dead node's entries out (unless its lease is back, or ARGV[2] forces it: our own earlier run). */
    private static final String SWEEP_NODE = """
            if ARGV[2] ~= 'force' and redis.call('EXISTS', KEYS[2]) == 1 then return {} end
            local left = {}
            for _, entry in ipairs(redis.call('SMEMBERS', KEYS[1])) do
              local a = string.find(entry, '\\n', 1, true)
              local b = string.find(entry, '\\n', a + 1, true)
              local room = string.sub(entry, 1, a - 1)
              local user = string.sub(entry, a + 1, b - 1)
              local conns = 'sb:{p:' .. room .. '}:c:' .. user
              if room == '' then
                redis.call('SREM', 'sb:{s:' .. user .. '}', string.sub(entry, b + 1))
              elseif redis.call('SREM', conns, string.sub(entry, b + 1)) == 1 and redis.call('SCARD', conns) == 0 then
                redis.call('ZREM', 'sb:{p:' .. room .. '}:users', user)
                table.insert(left, room)
                table.insert(left, user)
              end
            end
            redis.call('DEL', KEYS[1])
            redis.call('SREM', KEYS[3], ARGV[1])
            return left
            """;

    private static final String TAKE_PLACE = """
            if redis.call('SISMEMBER', KEYS[1], ARGV[1]) == 1 then return 1 end
            if redis.call('SCARD', KEYS[1]) >= tonumber(ARGV[2]) then return 0 end
            redis.call('SADD', KEYS[1], ARGV[1])
            redis.call('SADD', KEYS[2], ARGV[3])
            return 1
            """;

    private static final String GIVE_BACK_PLACE = """
            redis.call('SREM', KEYS[1], ARGV[1])
            redis.call('SREM', KEYS[2], ARGV[2])
            return 1
            """;

    private final RedisCommands<String, String> redis;
    private final String node;
    private final long leaseMillis;

    RedisPresence(StatefulRedisConnection<String, String> connection, String node, long leaseMillis) {
        this.redis = connection.sync();
        this.node = node;
        this.leaseMillis = leaseMillis;
    }

    private String entry(String room, String user, String connectionId) {
        return room + "\n" + user + "\n" + connectionId;
    }

    @Override
    public boolean enter(String room, String user, String connectionId) {
        try {
            Long first = redis.eval(ENTER, ScriptOutputType.INTEGER,
                    new String[] {Keys.connections(room, user), Keys.members(room), Keys.nodePresence(node)},
                    connectionId, user, entry(room, user, connectionId));
            return first == 1;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public boolean exit(String room, String user, String connectionId) {
        try {
            Long last = redis.eval(EXIT, ScriptOutputType.INTEGER,
                    new String[] {Keys.connections(room, user), Keys.members(room), Keys.nodePresence(node)},
                    connectionId, user, entry(room, user, connectionId));
            return last == 1;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public boolean present(String room, String user) {
        try {
            return redis.zscore(Keys.members(room), user) != null;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public List<String> members(String room, int limit) {
        try {
            return redis.zrange(Keys.members(room), 0, limit - 1L);
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public List<String> rooms(int limit) {
        // A room's member set exists while it has members (Redis drops an empty sorted set).
        String pattern = Keys.members("*");
        List<String> found = new ArrayList<>();
        try {
            ScanCursor cursor = ScanCursor.INITIAL;
            do {
                KeyScanCursor<String> page = redis.scan(cursor, ScanArgs.Builder.matches(pattern).limit(1000));
                for (String key : page.getKeys()) {
                    if (found.size() < limit) {
                        found.add(Keys.roomOfMembers(key));
                    }
                }
                cursor = page;
            } while (!cursor.isFinished() && found.size() < limit);
            return found;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public int count(String room) {
        try {
            return Math.toIntExact(redis.zcard(Keys.members(room)));
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public boolean take(String user, String place, int max) {
        try {
            Long taken = redis.eval(TAKE_PLACE, ScriptOutputType.INTEGER,
                    new String[] {Keys.places(user), Keys.nodePresence(node)}, place, String.valueOf(max), entry("", user, place));
            return taken == 1;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public boolean anyTaken(String user) {
        try {
            return redis.scard(Keys.places(user)) > 0;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public void giveBack(String user, String place) {
        try {
            redis.eval(GIVE_BACK_PLACE, ScriptOutputType.INTEGER,
                    new String[] {Keys.places(user), Keys.nodePresence(node)}, place, entry("", user, place));
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public void renew() {
        try {
            redis.set(Keys.nodeLease(node), "1", SetArgs.Builder.px(leaseMillis));
            redis.sadd(Keys.nodes(), node);
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public List<String> nodes() {
        try {
            return redis.smembers(Keys.nodes()).stream().filter(n -> redis.exists(Keys.nodeLease(n)) == 1).sorted().toList();
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    @Override
    public List<Left> sweep() {
        try {
            List<Left> left = new ArrayList<>();
            for (String other : redis.smembers(Keys.nodes())) {
                if (!other.equals(node) && redis.exists(Keys.nodeLease(other)) == 0) {
                    left.addAll(sweepNode(other, false));
                }
            }
            return left;
        } catch (RedisException e) {
            throw RedisEngine.unavailable(e);
        }
    }

    /** What this node's earlier run (same id, restarted within the lease) left behind: out now. */
    List<Left> sweepEarlierRun() {
        return sweepNode(node, true);
    }

    private List<Left> sweepNode(String dead, boolean force) {
        List<Object> flat = redis.eval(SWEEP_NODE, ScriptOutputType.MULTI,
                new String[] {Keys.nodePresence(dead), Keys.nodeLease(dead), Keys.nodes()}, dead, force ? "force" : "");
        List<Left> left = new ArrayList<>();
        for (int i = 0; i + 1 < flat.size(); i += 2) {
            left.add(new Left((String) flat.get(i), (String) flat.get(i + 1)));
        }
        return left;
    }
}
