package io.bitnet4j.gguf;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * The key/value metadata of a GGUF file, in file order, with typed accessors.
 *
 * <p>The getters are strict about kinds but widen within one: {@link #getLong} and {@link #getInt} take
 * any of the eight integer types (a UINT32 4294967295, which some converters write to mean "unset",
 * reads fine with {@code getLong} but is refused by {@code getInt} rather than silently becoming -1);
 * {@link #getFloat} takes FLOAT32 or FLOAT64. A missing key or a value of another kind throws
 * {@link IllegalArgumentException} naming the key; the variants with a default return it only when the
 * key is absent, never to paper over a value of the wrong type.
 */
public final class GgufMetadata {
    private final Map<String, GgufValue> entries;

    /** A snapshot of {@code entries}, keeping their iteration order. */
    public GgufMetadata(Map<String, GgufValue> entries) {
        this.entries = Collections.unmodifiableMap(new LinkedHashMap<>(entries));
    }

    /** The entries in file order (unmodifiable). */
    public Map<String, GgufValue> asMap() {
        return entries;
    }

    public Set<String> keys() {
        return entries.keySet();
    }

    public int size() {
        return entries.size();
    }

    public boolean contains(String key) {
        return entries.containsKey(key);
    }

    public Optional<GgufValue> find(String key) {
        return Optional.ofNullable(entries.get(key));
    }

    /** The value of {@code key}; throws if absent. */
    public GgufValue get(String key) {
        GgufValue v = entries.get(key);
        if (v == null) {
            throw new IllegalArgumentException("GGUF key '" + key + "' is missing");
        }
        return v;
    }

    public String getString(String key) {
        return convert(key, GgufMetadata::text);
    }

    public String getString(String key, String defaultValue) {
        return contains(key) ? getString(key) : defaultValue;
    }

    public long getLong(String key) {
        return convert(key, v -> scalar(v).asLong());
    }

    public long getLong(String key, long defaultValue) {
        return contains(key) ? getLong(key) : defaultValue;
    }

    public int getInt(String key) {
        return convert(key, v -> scalar(v).asInt());
    }

    public int getInt(String key, int defaultValue) {
        return contains(key) ? getInt(key) : defaultValue;
    }

    public float getFloat(String key) {
        return convert(key, v -> scalar(v).asFloat());
    }

    public float getFloat(String key, float defaultValue) {
        return contains(key) ? getFloat(key) : defaultValue;
    }

    public double getDouble(String key) {
        return convert(key, v -> scalar(v).asDouble());
    }

    public boolean getBool(String key) {
        return convert(key, v -> scalar(v).asBoolean());
    }

    public boolean getBool(String key, boolean defaultValue) {
        return contains(key) ? getBool(key) : defaultValue;
    }

    public GgufArray getArray(String key) {
        return convert(key, GgufMetadata::array);
    }

    public Optional<GgufArray> findArray(String key) {
        return contains(key) ? Optional.of(getArray(key)) : Optional.empty();
    }

    private <T> T convert(String key, Function<GgufValue, T> f) {
        GgufValue v = get(key);
        try {
            return f.apply(v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GGUF key '" + key + "': " + e.getMessage(), e);
        }
    }

    private static GgufValue.Scalar scalar(GgufValue v) {
        if (v instanceof GgufValue.Scalar s) {
            return s;
        }
        throw new IllegalArgumentException("value is a " + describeType(v) + ", not a number or bool");
    }

    private static String text(GgufValue v) {
        if (v instanceof GgufValue.Text t) {
            return t.value();
        }
        throw new IllegalArgumentException("value is a " + describeType(v) + ", not a STRING");
    }

    private static GgufArray array(GgufValue v) {
        if (v instanceof GgufArray a) {
            return a;
        }
        throw new IllegalArgumentException("value is a " + describeType(v) + ", not an ARRAY");
    }

    /** The type as people read it: {@code UINT32}, {@code STRING}, {@code ARRAY[FLOAT32]}. */
    public static String describeType(GgufValue v) {
        return v instanceof GgufArray a ? "ARRAY[" + a.elementType() + "]" : v.type().name();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GgufMetadata m && entries.equals(m.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return "GgufMetadata" + entries.keySet();
    }
}
