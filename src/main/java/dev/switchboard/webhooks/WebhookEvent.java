package dev.switchboard.webhooks;

import jakarta.json.JsonValue;

/**
 * One event as a receiver gets it: {@code id} (the same on every try: de-duplicate on it), {@code type}
 * ({@code user.offline}), {@code time} (when it happened, ISO-8601), {@code node} (which node saw it)
 * and {@code data}, the type's own fields.
 */
public record WebhookEvent(String id, String type, String time, String node, JsonValue data) {
}
