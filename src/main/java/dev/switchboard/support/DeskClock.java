package dev.switchboard.support;

import dev.switchboard.config.Setting;
import dev.switchboard.config.SwitchboardConfig;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;

/** The desk's time: now, and the zone its day (and its figures) are counted in ({@code switchboard.support.zone}). */
@ApplicationScoped
public class DeskClock {

    @Inject
    SwitchboardConfig config;

    Clock clock = Clock.systemUTC();
    private ZoneId zone;

    @PostConstruct
    void readSettings() {
        zone = ZoneId.of(config.text(Setting.SUPPORT_ZONE));
    }

    long now() {
        return clock.millis();
    }

    Instant instant() {
        return clock.instant();
    }

    ZoneId zone() {
        return zone;
    }
}
