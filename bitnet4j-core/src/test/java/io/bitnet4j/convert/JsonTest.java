package io.bitnet4j.convert;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The JSON reader: values, escapes, numbers, and errors that give the position. */
class JsonTest {

    @Test
    void readsEveryKindOfValueKeepingKeyOrder() {
        Object v = Json.parse(" {\"b\": [1, -2.5e3, true, false, null, \"x\"], \"a\": {}, \"c\": []} ", "t");
        Map<?, ?> m = (Map<?, ?>) v;
        assertEquals(List.of("b", "a", "c"), List.copyOf(m.keySet()));
        List<?> b = (List<?>) m.get("b");
        assertEquals(1L, b.get(0));
        assertEquals(-2500.0, b.get(1));
        assertEquals(Boolean.TRUE, b.get(2));
        assertEquals(Boolean.FALSE, b.get(3));
        assertNull(b.get(4));
        assertEquals("x", b.get(5));
        assertEquals(9007199254740993L, Json.parse("9007199254740993", "t")); // beyond 2^53: kept exact as a long
        assertEquals(1e20, Json.parse("100000000000000000000", "t"));
    }

    @Test
    void decodesEscapesIncludingSurrogatePairs() {
        assertEquals("a\"b\\c/d\b\f\n\r\tĠ😀", Json.parse("\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\\u0120\\ud83d\\ude00\"", "t"));
        assertEquals("Ġ Ġ", Json.parse("\"Ġ Ġ\"", "t")); // raw non-ASCII passes through
    }

    @Test
    void errorsNameTheSourceAndTheCharacter() {
        assertError("{\"a\": 1,}", "character 8: expected a string key");
        assertError("[1 2]", "character 3: expected ',' or ']'");
        assertError("{\"a\": 1, \"a\": 2}", "key \"a\" appears twice");
        assertError("\"abc", "unterminated string");
        assertError("\"a\u0001\"", "control character U+0001");
        assertError("01", "unexpected text after the JSON value");
        assertError("-", "bad number");
        assertError("1.", "bad number");
        assertError("nul", "unexpected character 'n'");
        assertError("\"\\x\"", "bad escape '\\x'");
        assertError("[".repeat(600), "nested deeper than 512 levels");
        assertError("", "unexpected end of text");
    }

    @Test
    void typedReadsSayWhatIsWrong() {
        JsonObject o = JsonObject.parse("{\"n\": \"4\", \"f\": 4.0, \"neg\": -1}", "config.json");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> o.getLong("n"));
        assertEquals("config.json: \"n\" is a string, expected an integer", e.getMessage());
        assertEquals(4L, o.getLong("f"));
        e = assertThrows(IllegalArgumentException.class, () -> o.positiveInt("neg"));
        assertTrue(e.getMessage().contains("expected a positive integer"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> o.string("missing"));
        assertEquals("config.json: \"missing\" is missing", e.getMessage());
    }

    private static void assertError(String text, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(text, "f.json"));
        assertTrue(e.getMessage().startsWith("f.json: invalid JSON") && e.getMessage().contains(fragment),
                "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }
}
