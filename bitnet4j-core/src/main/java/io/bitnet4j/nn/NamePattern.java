package io.bitnet4j.nn;

import io.bitnet4j.tensor.Checks;
import java.util.regex.Pattern;

/**
 * A glob over dotted layer names such as {@code model.layers.3.mlp.down_proj} or {@code blk.3.ffn_down}.
 *
 * <p>Syntax: {@code *} matches any run of characters within one name component (no dot), {@code **} any run
 * including dots, {@code ?} one character other than a dot; every other character matches itself. A pattern
 * matches a name when it matches the whole name or a whole dot-separated suffix of it, so {@code q_proj} matches
 * {@code model.layers.0.self_attn.q_proj}, {@code mlp.*} matches every layer directly under an {@code mlp}, and
 * {@code model.layers.*.mlp.*} matches those of {@code model.layers}. (This is PEFT's {@code target_modules}
 * rule, with globs instead of regular expressions.)
 */
public final class NamePattern {
    private final String glob;
    private final Pattern regex;

    private NamePattern(String glob) {
        this.glob = glob;
        this.regex = Pattern.compile("(?:.*\\.)?" + toRegex(glob));
    }

    /** Compiles {@code glob}; throws if it is null or empty. */
    public static NamePattern of(String glob) {
        Checks.requireNonNull(glob, "name pattern");
        if (glob.isEmpty()) {
            throw new IllegalArgumentException("name pattern is empty");
        }
        return new NamePattern(glob);
    }

    /** Whether this pattern matches {@code name} or a dot-separated suffix of it. */
    public boolean matches(String name) {
        return regex.matcher(name).matches();
    }

    public String glob() {
        return glob;
    }

    private static String toRegex(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                re.append(".*");
                i++;
            } else if (c == '*') {
                re.append("[^.]*");
            } else if (c == '?') {
                re.append("[^.]");
            } else {
                re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return re.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamePattern p && glob.equals(p.glob);
    }

    @Override
    public int hashCode() {
        return glob.hashCode();
    }

    @Override
    public String toString() {
        return glob;
    }
}
