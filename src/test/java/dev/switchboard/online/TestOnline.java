package dev.switchboard.online;

import dev.switchboard.testing.UnitNode;
import dev.switchboard.webhooks.Webhooks;
import java.time.Clock;

/** Who is online, for unit tests of the features that use it, wired and started as the server does. */
public final class TestOnline {

    private TestOnline() {
    }

    public static UserStatus userStatus(UnitNode node, Webhooks webhooks, Clock clock) {
        UserStatus status = new UserStatus();
        status.presence = node.engine.presence();
        status.documents = node.engine.documents();
        status.engine = node.engine;
        status.bus = node.logs;
        status.webhooks = webhooks;
        status.executors = node.executors;
        status.config = node.config;
        status.clock = clock;
        status.readSettings();
        status.start(null);
        return status;
    }

    public static RoomOccupancy roomOccupancy(UnitNode node, Webhooks webhooks, Clock clock) {
        RoomOccupancy occupancy = new RoomOccupancy();
        occupancy.presence = node.engine.presence();
        occupancy.documents = node.engine.documents();
        occupancy.engine = node.engine;
        occupancy.webhooks = webhooks;
        occupancy.executors = node.executors;
        occupancy.config = node.config;
        occupancy.clock = clock;
        occupancy.readSettings();
        occupancy.start(null);
        return occupancy;
    }

    public static Watchers watchers(UnitNode node, UserStatus status) {
        Watchers watchers = new Watchers();
        watchers.status = status;
        watchers.streams = node.streams;
        watchers.replies = node.replies;
        watchers.config = node.config;
        watchers.readSettings();
        watchers.start(null);
        return watchers;
    }
}
