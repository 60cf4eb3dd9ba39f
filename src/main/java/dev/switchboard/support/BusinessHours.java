package dev.switchboard.support;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When the desk takes conversations, from {@code switchboard.support.hours}: comma-separated spans of
 * days and times in the desk's zone, {@code Mon-Fri 09:00-17:00, Sat 10:00-14:00}; empty: always open.
 * Outside them customers are told so and may leave a message.
 */
public final class BusinessHours {

    private static final Pattern SPAN = Pattern.compile(
            "(\\p{Alpha}{3})(?:-(\\p{Alpha}{3}))?\\s+(\\d{2}:\\d{2})-(\\d{2}:\\d{2})");

    private record Span(Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    }

    private final List<Span> spans;
    private final ZoneId zone;

    private BusinessHours(List<Span> spans, ZoneId zone) {
        this.spans = spans;
        this.zone = zone;
    }

    /** @throws IllegalArgumentException saying what is wrong with the setting */
    public static BusinessHours parse(String setting, ZoneId zone) {
        List<Span> spans = new ArrayList<>();
        for (String part : setting.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            Matcher m = SPAN.matcher(part.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("'" + part.strip() + "' is not like 'Mon-Fri 09:00-17:00'");
            }
            DayOfWeek first = day(m.group(1));
            DayOfWeek last = m.group(2) == null ? first : day(m.group(2));
            Set<DayOfWeek> days = EnumSet.noneOf(DayOfWeek.class);
            for (DayOfWeek d = first; ; d = d.plus(1)) {
                days.add(d);
                if (d == last) {
                    break;
                }
            }
            LocalTime from = LocalTime.parse(m.group(3));
            LocalTime to = LocalTime.parse(m.group(4));
            if (!to.isAfter(from)) {
                throw new IllegalArgumentException("'" + part.strip() + "' ends before it starts");
            }
            spans.add(new Span(days, from, to));
        }
        return new BusinessHours(List.copyOf(spans), zone);
    }

    private static DayOfWeek day(String name) {
        for (DayOfWeek d : DayOfWeek.values()) {
            if (d.getDisplayName(TextStyle.SHORT, Locale.ENGLISH).equalsIgnoreCase(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)");
    }

    public boolean isOpen(Instant at) {
        if (spans.isEmpty()) {
            return true;
        }
        ZonedDateTime local = at.atZone(zone);
        LocalTime time = local.toLocalTime();
        return spans.stream().anyMatch(s -> s.days().contains(local.getDayOfWeek())
                && !time.isBefore(s.from()) && time.isBefore(s.to()));
    }
}
