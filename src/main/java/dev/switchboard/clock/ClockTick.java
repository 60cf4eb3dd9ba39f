package dev.switchboard.clock;

/** The clock's frame, {@code {"time":"2026.11.21 14:59:21"}}: server local time. */
public record ClockTick(String time) {
}
