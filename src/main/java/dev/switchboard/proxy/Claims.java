package dev.switchboard.proxy;

import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.Collection;
import java.util.Date;
import java.util.Map;

/** A token's claims, as the JWT library read them, written back as the JSON they were. */
final class Claims {

    private Claims() {
    }

    /** The claims as a JSON object; times ({@code exp}, {@code iat}, {@code nbf}) as seconds since the epoch, as in the token. */
    static JsonValue toJson(Map<String, ?> claims) {
        return value(claims == null ? Map.of() : claims);
    }

    private static JsonValue value(Object value) {
        if (value == null) {
            return JsonValue.NULL;
        }
        if (value instanceof JsonValue json) {
            return json;
        }
        if (value instanceof String text) {
            return Json.createValue(text);
        }
        if (value instanceof Boolean flag) {
            return flag ? JsonValue.TRUE : JsonValue.FALSE;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return Json.createValue(((Number) value).longValue());
        }
        if (value instanceof Number number) {
            return Json.createValue(new BigDecimal(number.toString()));
        }
        if (value instanceof Date date) {
            return Json.createValue(date.getTime() / 1000);
        }
        if (value instanceof Map<?, ?> map) {
            JsonObjectBuilder object = Json.createObjectBuilder();
            map.forEach((k, v) -> object.add(String.valueOf(k), value(v)));
            return object.build();
        }
        if (value instanceof Collection<?> list) {
            JsonArrayBuilder array = Json.createArrayBuilder();
            list.forEach(v -> array.add(value(v)));
            return array.build();
        }
        return Json.createValue(value.toString());
    }
}
