package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgufValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The GGUF architectures of BitNet models and renaming between them.
 *
 * <ul>
 *   <li>{@code bitnet-b1.58}: bitnet.cpp's architecture for BitNet b1.58 2B-4T (Microsoft's {@code ggml-model-i2_s.gguf}):
 *       squared-ReLU FFN. Only bitnet.cpp loads it.</li>
 *   <li>{@code bitnet}: llama.cpp's architecture for the earlier BitNet b1.58 models (1bitLLM's 700M and 3B), with the
 *       same tensors. llama.cpp computes SiLU in its FFN unless {@code bitnet.hidden_activation} names another function
 *       it knows; as of this writing it knows {@code silu}, {@code gelu}, {@code relu} and a few more, but not
 *       {@code relu2}, so a squared-ReLU model renamed to {@code bitnet} runs in llama.cpp with SiLU: it loads, but it
 *       is not the function the model was trained with.</li>
 * </ul>
 * Renaming changes {@code general.architecture} and the prefix of every {@code <arch>.} key; the tensors are the same.
 */
public final class Architectures {
    public static final String BITNET = "bitnet";
    public static final String BITNET_B158 = "bitnet-b1.58";
    public static final String LLAMA = "llama";
    /** The key llama.cpp reads for the FFN activation of the {@code bitnet} architecture. */
    public static final String BITNET_ACTIVATION_KEY = BITNET + ".hidden_activation";
    /** bitnet-b1.58's FFN activation, as Hugging Face names it. */
    public static final String SQUARED_RELU = "relu2";

    /** What a user converting a squared-ReLU model to {@code bitnet} should know. */
    public static final String SILU_WARNING = "architecture 'bitnet': llama.cpp will run this squared-ReLU model with SiLU in its FFN"
            + " (it does not know bitnet.hidden_activation=relu2); the output will differ from the trained model";

    private static final List<String> RENAMEABLE = List.of(BITNET, BITNET_B158);

    private Architectures() {}

    /**
     * {@code metadata} with its architecture renamed to {@code to}. Only {@code bitnet} and {@code bitnet-b1.58} rename
     * into each other (their tensors are the same); other pairs throw. Going to {@code bitnet}, the activation
     * {@code relu2} is written as {@code bitnet.hidden_activation} (see the class comment); going to {@code bitnet-b1.58},
     * whose graph always squares a ReLU, the key is dropped, with a warning if it named another activation.
     */
    public static Map<String, GgufValue> rename(Map<String, GgufValue> metadata, String to, Consumer<String> warnings) {
        String from = metadata.get("general.architecture") instanceof GgufValue.Text t ? t.value() : "";
        if (from.equals(to)) {
            return new LinkedHashMap<>(metadata);
        }
        if (!RENAMEABLE.contains(from) || !RENAMEABLE.contains(to)) {
            throw new IllegalArgumentException("cannot change the architecture from '" + from + "' to '" + to
                    + "': only " + BITNET + " and " + BITNET_B158 + " share their tensors");
        }
        Map<String, GgufValue> out = new LinkedHashMap<>();
        for (Map.Entry<String, GgufValue> e : metadata.entrySet()) {
            String key = e.getKey().startsWith(from + ".") ? to + e.getKey().substring(from.length()) : e.getKey();
            out.put(key, key.equals("general.architecture") ? GgufValue.string(to) : e.getValue());
        }
        if (to.equals(BITNET)) {
            out.putIfAbsent(BITNET_ACTIVATION_KEY, GgufValue.string(SQUARED_RELU));
            if (out.get(BITNET_ACTIVATION_KEY).toString().equals(SQUARED_RELU)) {
                warnings.accept(SILU_WARNING);
            }
        } else {
            GgufValue act = out.remove(to + ".hidden_activation");
            if (act != null && !act.toString().equals(SQUARED_RELU)) {
                warnings.accept("architecture renamed to 'bitnet-b1.58', whose graph uses squared ReLU; the model's activation was " + act);
            }
        }
        return out;
    }
}
