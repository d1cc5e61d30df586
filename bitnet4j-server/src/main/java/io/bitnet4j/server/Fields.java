package io.bitnet4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of optional request fields: absent or JSON null gives the default; a value of the wrong JSON type
 * or out of range is an {@link ApiError} 400 naming the field, as OpenAI answers it.
 */
final class Fields {
    private Fields() {}

    static boolean present(JsonNode body, String name) {
        JsonNode v = body.get(name);
        return v != null && !v.isNull();
    }

    /** An integer in {@code min..max}. */
    static long integer(JsonNode body, String name, long min, long max, long fallback) {
        if (!present(body, name)) {
            return fallback;
        }
        JsonNode v = body.get(name);
        if (!v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() < min || v.asLong() > max) {
            throw ApiError.invalidValue(name, "an integer in " + min + ".." + max, v);
        }
        return v.asLong();
    }

    /** A number in {@code [min, max]}. */
    static double number(JsonNode body, String name, double min, double max, double fallback) {
        if (!present(body, name)) {
            return fallback;
        }
        JsonNode v = body.get(name);
        if (!v.isNumber() || !Double.isFinite(v.asDouble()) || v.asDouble() < min || v.asDouble() > max) {
            throw ApiError.invalidValue(name, "a number in [" + min + ", " + max + "]", v);
        }
        return v.asDouble();
    }

    static boolean bool(JsonNode body, String name, boolean fallback) {
        if (!present(body, name)) {
            return fallback;
        }
        JsonNode v = body.get(name);
        if (!v.isBoolean()) {
            throw ApiError.invalidValue(name, "a boolean", v);
        }
        return v.asBoolean();
    }

    /** A string, or null when absent. */
    static String string(JsonNode body, String name) {
        if (!present(body, name)) {
            return null;
        }
        JsonNode v = body.get(name);
        if (!v.isTextual()) {
            throw ApiError.invalidValue(name, "a string", v);
        }
        return v.asText();
    }

    /** An object, or null when absent. */
    static JsonNode object(JsonNode body, String name) {
        if (!present(body, name)) {
            return null;
        }
        JsonNode v = body.get(name);
        if (!v.isObject()) {
            throw ApiError.invalidValue(name, "an object", v);
        }
        return v;
    }

    /** {@code stop}: a string or an array of up to {@code max} non-empty strings. */
    static List<String> stopStrings(JsonNode body, String name, int max) {
        List<String> out = new ArrayList<>();
        if (!present(body, name)) {
            return out;
        }
        JsonNode v = body.get(name);
        if (v.isTextual()) {
            out.add(v.asText());
        } else if (v.isArray() && v.size() <= max) {
            for (JsonNode s : v) {
                if (!s.isTextual()) {
                    throw ApiError.invalidValue(name, "a string or an array of up to " + max + " strings", v);
                }
                out.add(s.asText());
            }
        } else {
            throw ApiError.invalidValue(name, "a string or an array of up to " + max + " strings", v);
        }
        if (out.stream().anyMatch(String::isEmpty)) {
            throw ApiError.invalidValue(name, "non-empty strings", v);
        }
        return out;
    }
}
