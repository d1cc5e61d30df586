package io.bitnet4j.convert;

import io.bitnet4j.format.HfPackedTernary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The parts of a Hugging Face {@code config.json} a conversion needs.
 *
 * @param architecture  {@code architectures[0]}, e.g. {@code BitNetForCausalLM}
 * @param headDim       {@code head_dim}, or {@code hidden_size / num_attention_heads}
 * @param hiddenAct     {@code hidden_act}: {@code relu2} (squared ReLU) for BitNet b1.58 2B-4T, {@code silu} otherwise
 * @param quantization  {@code quantization_config}, if any
 */
public record HfConfig(String architecture, int hidden, int intermediate, int layers, int heads, int kvHeads, int headDim,
                       int contextLength, float rmsEps, float ropeTheta, int vocabSize, String hiddenAct,
                       Optional<JsonObject> quantization, Optional<Long> bosTokenId, Optional<Long> eosTokenId) {

    /** The architectures converted, and the GGUF architecture each becomes by default. */
    static final List<String> BITNET_B158_CLASSES = List.of("BitNetForCausalLM");
    static final List<String> BITNET_CLASSES = List.of("BitnetForCausalLM");
    static final List<String> LLAMA_CLASSES = List.of("LlamaForCausalLM", "MistralForCausalLM");

    /** Reads {@code config.json} in {@code dir}. */
    public static HfConfig read(Path dir) throws IOException {
        Path file = dir.resolve("config.json");
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(dir + " has no config.json; a Hugging Face checkpoint needs it for the architecture,"
                    + " the hyperparameters and the meaning of its quantized weights");
        }
        JsonObject c = JsonObject.parse(text, "config.json");
        List<Object> archs = c.list("architectures");
        if (archs.isEmpty() || !(archs.get(0) instanceof String arch)) {
            throw c.error("\"architectures\" must list the model class, e.g. \"BitNetForCausalLM\"");
        }
        if (c.has("rope_scaling")) {
            throw c.error("\"rope_scaling\" is set; RoPE scaling is not supported by this converter");
        }
        int hidden = c.positiveInt("hidden_size");
        int heads = c.positiveInt("num_attention_heads");
        int headDim = c.optPositiveInt("head_dim").orElse(hidden / heads);
        return new HfConfig(arch, hidden, c.positiveInt("intermediate_size"), c.positiveInt("num_hidden_layers"), heads,
                c.optPositiveInt("num_key_value_heads").orElse(heads), headDim,
                c.optPositiveInt("max_position_embeddings").orElse(2048),
                c.optNumber("rms_norm_eps").orElse(1e-6).floatValue(), c.optNumber("rope_theta").orElse(10000.0).floatValue(),
                c.positiveInt("vocab_size"), c.optString("hidden_act").orElse("silu"), c.optObject("quantization_config"),
                tokenId(c, "bos_token_id"), tokenId(c, "eos_token_id"));
    }

    private static Optional<Long> tokenId(JsonObject c, String key) {
        if (c.map().get(key) instanceof List<?> list) { // several EOS ids: the first is the one GGUF keeps
            return list.isEmpty() || !(list.get(0) instanceof Long l) ? Optional.empty() : Optional.of(l);
        }
        return c.optLong(key);
    }

    /** The GGUF architecture this model class becomes unless told otherwise. */
    public String defaultArchitecture() {
        if (BITNET_B158_CLASSES.contains(architecture)) {
            return Architectures.BITNET_B158;
        }
        if (BITNET_CLASSES.contains(architecture)) {
            return Architectures.BITNET;
        }
        if (LLAMA_CLASSES.contains(architecture)) {
            return Architectures.LLAMA;
        }
        throw new IllegalArgumentException("config.json: architecture " + architecture + " is not supported; supported: "
                + String.join(", ", BITNET_B158_CLASSES) + ", " + String.join(", ", BITNET_CLASSES) + ", " + String.join(", ", LLAMA_CLASSES));
    }

    /** Whether the model's linear layers are BitLinear (ternarized), as every BitNet class and any {@code quant_method bitnet} model. */
    public boolean isBitNet() {
        return !defaultArchitecture().equals(Architectures.LLAMA)
                || quantization.flatMap(q -> q.optString("quant_method")).orElse("").equals("bitnet");
    }

    /**
     * What a stored {@code weight_scale} means, from {@code quantization_config}: {@code linear_class "autobitlinear"}
     * (BitNet b1.58 2B-4T, offline) multiplies the layer output by it; the older {@code BitLinear} divides by it.
     * Throws if there is no quantization config to say.
     */
    public HfPackedTernary.ScaleConvention scaleConvention() {
        JsonObject q = quantization.orElseThrow(() -> new IllegalArgumentException(
                "config.json: the checkpoint has packed ternary weights but no \"quantization_config\" to say what weight_scale means"));
        String linearClass = q.optString("linear_class").orElse("bitlinear");
        return switch (linearClass) {
            case "autobitlinear" -> HfPackedTernary.ScaleConvention.MULTIPLY;
            case "bitlinear" -> HfPackedTernary.ScaleConvention.DIVIDE;
            default -> throw q.error("\"linear_class\" is \"" + linearClass + "\"; expected \"bitlinear\" or \"autobitlinear\"");
        };
    }
}
