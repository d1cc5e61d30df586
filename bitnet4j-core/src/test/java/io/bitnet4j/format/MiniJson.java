package io.bitnet4j.format;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Just enough JSON for reading the fixture manifests in tests: objects become {@link Map}, arrays
 * {@link List}, numbers {@link Double}, plus strings, booleans and null. No escapes beyond the simple ones.
 */
final class MiniJson {
    private final String s;
    private int pos;

    private MiniJson(String s) {
        this.s = s;
    }

    static Object parse(String text) {
        MiniJson p = new MiniJson(text);
        Object v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw new IllegalArgumentException("trailing text at " + p.pos);
        }
        return v;
    }

    /** Follows a path of object keys (String) and array indices (Integer). */
    static Object at(Object root, Object... path) {
        Object v = root;
        for (Object key : path) {
            v = key instanceof Integer i ? ((List<?>) v).get(i) : ((Map<?, ?>) v).get(key);
            if (v == null) {
                throw new IllegalArgumentException("no " + key + " in manifest");
            }
        }
        return v;
    }

    private Object value() {
        skipSpace();
        char c = s.charAt(pos);
        switch (c) {
            case '{' -> {
                return object();
            }
            case '[' -> {
                return array();
            }
            case '"' -> {
                return string();
            }
            default -> {
                return literal();
            }
        }
    }

    private Map<String, Object> object() {
        Map<String, Object> m = new LinkedHashMap<>();
        pos++;
        skipSpace();
        if (s.charAt(pos) == '}') {
            pos++;
            return m;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            m.put(key, value());
            skipSpace();
            if (s.charAt(pos++) == '}') {
                return m;
            }
        }
    }

    private List<Object> array() {
        List<Object> list = new ArrayList<>();
        pos++;
        skipSpace();
        if (s.charAt(pos) == ']') {
            pos++;
            return list;
        }
        while (true) {
            list.add(value());
            skipSpace();
            if (s.charAt(pos++) == ']') {
                return list;
            }
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (s.charAt(pos) != '"') {
            char c = s.charAt(pos++);
            b.append(c == '\\' ? s.charAt(pos++) : c);
        }
        pos++;
        return b.toString();
    }

    private Object literal() {
        int start = pos;
        while (pos < s.length() && ",]} \n\r\t".indexOf(s.charAt(pos)) < 0) {
            pos++;
        }
        String t = s.substring(start, pos);
        return switch (t) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> Double.parseDouble(t);
        };
    }

    private void expect(char c) {
        if (s.charAt(pos) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + pos);
        }
        pos++;
    }

    private void skipSpace() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
            pos++;
        }
    }
}
