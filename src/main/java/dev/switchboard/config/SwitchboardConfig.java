package dev.switchboard.config;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Optional;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads settings once: system property first, then environment variable, then the default.
 * A value that cannot be read fails fast with a message naming the setting.
 */
@ApplicationScoped
public class SwitchboardConfig {

    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");

    private final UnaryOperator<String> properties;
    private final UnaryOperator<String> environment;

    public SwitchboardConfig() {
        this(System::getProperty, System::getenv);
    }

    /** For tests: settings from the given maps instead of the process. */
    public static SwitchboardConfig of(Map<String, String> properties) {
        return new SwitchboardConfig(properties::get, name -> null);
    }

    SwitchboardConfig(UnaryOperator<String> properties, UnaryOperator<String> environment) {
        this.properties = properties;
        this.environment = environment;
    }

    /** Settings whose values are secrets: shown as set or unset only. */
    private static final java.util.Set<Setting> SECRET = java.util.EnumSet.of(Setting.TOKEN_SECRET, Setting.API_KEY,
            Setting.METRICS_TOKEN, Setting.WEBHOOKS_SECRET);

    /**
     * Every setting and the value in force, for the start-up log and the admin page: secrets as
     * {@code (set)}, a Redis URL without its password, desk accounts by name and role only.
     */
    public Map<String, String> inForce() {
        Map<String, String> shown = new java.util.LinkedHashMap<>();
        for (Setting setting : Setting.values()) {
            String value = raw(setting);
            if (SECRET.contains(setting)) {
                value = value.isEmpty() ? "" : "(set)";
            } else if (setting == Setting.REDIS_URL) {
                value = value.replaceAll("//[^@/]*@", "//***@");
            } else if (setting == Setting.SUPPORT_ACCOUNTS) {
                value = value.replaceAll("(^|,)([^:,]+:[^:,]+):[^,]*", "$1$2");
            }
            shown.put(setting.property(), value);
        }
        return shown;
    }

    public String raw(Setting setting) {
        String value = properties.apply(setting.property());
        if (value == null || value.isBlank()) {
            value = environment.apply(setting.environmentVariable());
        }
        return value == null || value.isBlank() ? setting.defaultValue() : value.trim();
    }

    /**
     * The WebSocket container's own idle timeout for every session: a backstop behind our heartbeat
     * (which closes silent connections with 4000 first), twice {@code switchboard.idle.timeout}. It must
     * be positive: with none, Tyrus runs an empty idle-timer task at once for every frame in or out.
     */
    public long containerIdleTimeoutMillis() {
        return 2 * duration(Setting.IDLE_TIMEOUT).toMillis();
    }

    /** A duration such as {@code 500ms}, {@code 25s}, {@code 2m}, {@code 1h} or {@code 7d}; a bare number is seconds. */
    public Duration duration(Setting setting) {
        String value = raw(setting);
        Optional<Duration> d = parseDuration(value);
        if (d.isEmpty()) {
            throw invalid(setting, value, "a duration such as 500ms, 25s, 2m, 1h or 7d");
        }
        if (d.get().isZero()) {
            throw invalid(setting, value, "a duration above zero");
        }
        return d.get();
    }

    /** As {@link #duration(Setting)}, zero allowed (where zero means "never" or "none"). */
    public Duration durationOrZero(Setting setting) {
        String value = raw(setting);
        return parseDuration(value).orElseThrow(() -> invalid(setting, value, "a duration such as 0s, 500ms, 25s, 2m, 1h or 7d"));
    }

    /** A duration written as settings write them ({@code 500ms}, {@code 25s}, {@code 2m}, {@code 1h}, {@code 7d}, a bare number of seconds), zero included. */
    public static Optional<Duration> parseDuration(String value) {
        Matcher m = DURATION.matcher(value);
        if (!m.matches()) {
            return Optional.empty();
        }
        long amount = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return Optional.of(switch (unit) {
            case "ms" -> Duration.ofMillis(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            case "d" -> Duration.ofDays(amount);
            default -> Duration.ofSeconds(amount);
        });
    }

    /** A text setting; empty when unset. */
    public String text(Setting setting) {
        return raw(setting);
    }

    /** A whole number of at least 1. */
    public int positiveInt(Setting setting) {
        return (int) wholeNumber(setting, 1, Integer.MAX_VALUE);
    }

    /** A whole number of at least 0 (where 0 means "all" or "none"). */
    public int wholeNumber(Setting setting) {
        return (int) wholeNumber(setting, 0, Integer.MAX_VALUE);
    }

    /** A whole number of at least 1, as large as a long (a count of bytes). */
    public long positiveLong(Setting setting) {
        return wholeNumber(setting, 1, Long.MAX_VALUE);
    }

    private long wholeNumber(Setting setting, long least, long most) {
        String value = raw(setting);
        try {
            long n = Long.parseLong(value);
            if (n >= least && n <= most) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below with the setting's name
        }
        throw invalid(setting, value, most == Long.MAX_VALUE ? "a whole number of at least " + least
                : "a whole number from " + least + " to " + most);
    }

    /** The error that stops the start when a setting cannot be read: it names the setting, its value and what was expected. */
    public static IllegalStateException invalid(Setting setting, String value, String expected) {
        return new IllegalStateException("Setting " + setting.property() + " (" + setting.environmentVariable()
                + ") is '" + value + "', expected " + expected);
    }
}
