package io.bitnet4j.convert;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Typed reads from a parsed JSON object ({@link Json}) whose errors name the file and the key, e.g.
 * {@code config.json: "hidden_size" is a string, expected an integer}.
 *
 * @param map    the object
 * @param source the file (and path inside it) for messages
 */
public record JsonObject(Map<String, Object> map, String source) {

    /** Parses {@code text}, which must hold an object. */
    public static JsonObject parse(String text, String source) {
        return new JsonObject(Json.parseObject(text, source), source);
    }

    public boolean has(String key) {
        return map.containsKey(key) && map.get(key) != null;
    }

    public Optional<String> optString(String key) {
        return opt(key, String.class, "a string");
    }

    public String string(String key) {
        return optString(key).orElseThrow(() -> missing(key));
    }

    /** An integer (a JSON number without fraction); throws for a fraction or a value outside the long range. */
    public Optional<Long> optLong(String key) {
        Optional<Object> v = Optional.ofNullable(map.get(key));
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Long l) {
            return Optional.of(l);
        }
        if (v.get() instanceof Double d && d == Math.rint(d) && Math.abs(d) < 0x1p53) {
            return Optional.of(d.longValue()); // 4096.0 written by some tools
        }
        throw wrongType(key, "an integer");
    }

    public long getLong(String key) {
        return optLong(key).orElseThrow(() -> missing(key));
    }

    /** A positive integer that fits an int. */
    public int positiveInt(String key) {
        return positive(key, getLong(key));
    }

    public Optional<Integer> optPositiveInt(String key) {
        return optLong(key).map(v -> positive(key, v));
    }

    public Optional<Double> optNumber(String key) {
        Optional<Object> v = Optional.ofNullable(map.get(key));
        if (v.isEmpty()) {
            return Optional.empty();
        }
        if (v.get() instanceof Number n) {
            return Optional.of(n.doubleValue());
        }
        throw wrongType(key, "a number");
    }

    public Optional<Boolean> optBoolean(String key) {
        return opt(key, Boolean.class, "true or false");
    }

    public Optional<JsonObject> optObject(String key) {
        Optional<Map<?, ?>> m = opt(key, Map.class, "an object").map(x -> (Map<?, ?>) x);
        @SuppressWarnings("unchecked")
        Optional<JsonObject> o = m.map(x -> new JsonObject((Map<String, Object>) x, source + " \"" + key + "\""));
        return o;
    }

    public JsonObject object(String key) {
        return optObject(key).orElseThrow(() -> missing(key));
    }

    public Optional<List<Object>> optList(String key) {
        @SuppressWarnings("unchecked")
        Optional<List<Object>> l = opt(key, List.class, "an array").map(x -> (List<Object>) x);
        return l;
    }

    public List<Object> list(String key) {
        return optList(key).orElseThrow(() -> missing(key));
    }

    public IllegalArgumentException error(String what) {
        return new IllegalArgumentException(source + ": " + what);
    }

    private <T> Optional<T> opt(String key, Class<T> type, String expected) {
        Object v = map.get(key);
        if (v == null) {
            return Optional.empty();
        }
        if (!type.isInstance(v)) {
            throw wrongType(key, expected);
        }
        return Optional.of(type.cast(v));
    }

    private int positive(String key, long v) {
        if (v <= 0 || v > Integer.MAX_VALUE) {
            throw error("\"" + key + "\" is " + v + "; expected a positive integer");
        }
        return (int) v;
    }

    private IllegalArgumentException missing(String key) {
        return error("\"" + key + "\" is missing");
    }

    private IllegalArgumentException wrongType(String key, String expected) {
        return error("\"" + key + "\" is " + article(Json.typeName(map.get(key))) + ", expected " + expected);
    }

    private static String article(String type) {
        return (type.startsWith("a") || type.startsWith("o") ? "an " : "a ") + type;
    }
}
