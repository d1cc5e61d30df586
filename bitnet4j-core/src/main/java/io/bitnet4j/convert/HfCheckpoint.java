package io.bitnet4j.convert;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A Hugging Face checkpoint (safetensors, one file or sharded with {@code model.safetensors.index.json}, plus
 * {@code config.json} and {@code tokenizer.json}) opened as a GGUF model.
 *
 * <p>Architectures: {@code BitNetForCausalLM} (BitNet b1.58 2B-4T) becomes {@code bitnet-b1.58} as in Microsoft's GGUF,
 * {@code BitnetForCausalLM} (1bitLLM's b1.58 models) {@code bitnet} as llama.cpp reads it, and {@code Llama}/{@code
 * Mistral} models {@code llama} (their Q and K rows permuted from rotate-half to adjacent-pair RoPE, as
 * {@code convert_hf_to_gguf.py} does). The BitNet architectures can be renamed into each other.
 *
 * <p>Weights: F32, F16 and BF16 tensors are read as they are. A BitNet linear weight stored packed (uint8
 * {@code [out/4, in]} with a {@code weight_scale}) is unpacked with the scale convention {@code config.json}'s
 * {@code quantization_config} implies ({@link HfConfig#scaleConvention()}). A BitNet linear weight stored in float is
 * ternarized by absmean ({@link AbsmeanTensor#BITNET_WEIGHT_QUANT}), because that is what its BitLinear layer does with
 * it at run time.
 */
public final class HfCheckpoint {
    private HfCheckpoint() {}

    /**
     * Opens the checkpoint at {@code input}: a directory, one of its {@code .safetensors} files, or its index.
     *
     * @param architecture the GGUF architecture to write instead of the default one, if any
     */
    public static ModelSource open(Path input, Optional<String> architecture, Consumer<String> warnings) throws IOException {
        Path dir = Files.isDirectory(input) ? input : input.toAbsolutePath().getParent();
        HfConfig config = HfConfig.read(dir);
        String arch = architecture.orElse(config.defaultArchitecture());
        if (arch.equals(Architectures.BITNET) && config.hiddenAct().equals(Architectures.SQUARED_RELU)) {
            warnings.accept(Architectures.SILU_WARNING);
        }
        boolean llama = config.defaultArchitecture().equals(Architectures.LLAMA);
        if (llama != arch.equals(Architectures.LLAMA)) {
            throw new IllegalArgumentException("cannot convert a " + config.architecture() + " checkpoint to architecture '" + arch + "'");
        }
        List<Safetensors> shards = openShards(dir, input);
        try {
            List<SourceTensor> tensors = tensors(shards, config, llama);
            Map<String, GgufValue> md = new LinkedHashMap<>(metadata(dir, config, arch));
            md.putAll(HfTokenizer.read(dir, config, warnings));
            return new ModelSource(input.toString(), md, tensors, shards);
        } catch (IOException | RuntimeException e) {
            shards.forEach(Safetensors::close);
            throw e;
        }
    }

    /** The safetensors files: the one given, the index's shards, or the directory's {@code model.safetensors}. */
    private static List<Safetensors> openShards(Path dir, Path input) throws IOException {
        List<Path> files = new ArrayList<>();
        Path index = dir.resolve("model.safetensors.index.json");
        if (input.toString().endsWith(".safetensors")) {
            files.add(input);
        } else if (Files.exists(index)) {
            JsonObject map = JsonObject.parse(Files.readString(index), index.getFileName().toString()).object("weight_map");
            map.map().values().stream().map(String::valueOf).distinct().sorted().forEach(f -> files.add(dir.resolve(f)));
        } else if (Files.exists(dir.resolve("model.safetensors"))) {
            files.add(dir.resolve("model.safetensors"));
        } else {
            throw new IllegalArgumentException(dir + " has neither model.safetensors nor model.safetensors.index.json");
        }
        List<Safetensors> shards = new ArrayList<>();
        try {
            for (Path f : files) {
                if (!Files.exists(f)) {
                    throw new IllegalArgumentException("the index names the shard " + f.getFileName() + ", which is missing from " + dir);
                }
                shards.add(Safetensors.open(f));
            }
        } catch (IOException | RuntimeException e) {
            shards.forEach(Safetensors::close);
            throw e;
        }
        return shards;
    }

    private static List<SourceTensor> tensors(List<Safetensors> shards, HfConfig config, boolean llama) {
        Map<String, Safetensors.Entry> all = new LinkedHashMap<>();
        for (Safetensors s : shards) {
            for (Safetensors.Entry e : s.entries()) {
                if (all.put(e.name(), e) != null) {
                    throw new IllegalArgumentException("tensor '" + e.name() + "' is in more than one shard (again in " + s.path().getFileName() + ")");
                }
            }
        }
        record Placed(long order, SourceTensor tensor) {}
        List<Placed> placed = new ArrayList<>();
        for (Safetensors.Entry e : all.values()) {
            if (e.name().endsWith(".weight_scale") || e.name().endsWith("rotary_emb.inv_freq")) {
                continue; // a scale goes with its weight; RoPE frequencies are recomputed from rope_theta
            }
            HfTensorNames.Mapped m = HfTensorNames.map(e.name(), config)
                    .orElseThrow(() -> new IllegalArgumentException("tensor '" + e.name() + "' has no GGUF name (not a Llama/BitNet tensor?)"));
            SourceTensor t = tensor(e, m, all, config);
            if (llama && m.ropeHeads() > 0) {
                t = new PermutedTensor(t, PermutedTensor.ropeHalvesToPairs(config.headDim()));
            }
            placed.add(new Placed(m.order(), t));
        }
        placed.sort(Comparator.comparingLong(Placed::order));
        return placed.stream().map(Placed::tensor).toList();
    }

    private static SourceTensor tensor(Safetensors.Entry e, HfTensorNames.Mapped m, Map<String, Safetensors.Entry> all, HfConfig config) {
        long[] shape = e.shape();
        String scaleName = e.name().substring(0, e.name().length() - ".weight".length()) + ".weight_scale";
        Safetensors.Entry scale = all.get(scaleName);
        if (e.dtype().equals("U8") && m.linear()) {
            if (scale == null) {
                throw new IllegalArgumentException("tensor '" + e.name() + "' is packed uint8 but the checkpoint has no " + scaleName);
            }
            long out = m.torchShape()[0];
            long[] packed = {(out + 3) / 4, m.torchShape()[1]};
            requireShape(e, packed, "packed ternary [ceil(out/4), in]");
            return new PackedTernaryTensor(m.gguf(), new long[] {packed[1], out}, e.data(), scalar(scale), config.scaleConvention());
        }
        GgmlType type = switch (e.dtype()) {
            case "F32" -> GgmlType.F32;
            case "F16" -> GgmlType.F16;
            case "BF16" -> GgmlType.BF16;
            default -> throw new IllegalArgumentException("tensor '" + e.name() + "' has dtype " + e.dtype()
                    + "; supported: F32, F16, BF16, and U8 for packed ternary linear weights");
        };
        requireShape(e, m.torchShape(), "");
        SourceTensor t = SourceTensor.stored(m.gguf(), type, reversed(shape), e.data());
        return m.linear() && config.isBitNet() ? AbsmeanTensor.bitnet(t) : t;
    }

    /** The one value of a {@code weight_scale} tensor (any float dtype, one element). */
    private static float scalar(Safetensors.Entry e) {
        GgmlType type = switch (e.dtype()) {
            case "F32" -> GgmlType.F32;
            case "F16" -> GgmlType.F16;
            case "BF16" -> GgmlType.BF16;
            default -> throw new IllegalArgumentException("tensor '" + e.name() + "' has dtype " + e.dtype() + "; a weight_scale must be a float");
        };
        if (e.elements() != 1) {
            throw new IllegalArgumentException("tensor '" + e.name() + "' has shape " + Arrays.toString(e.shape()) + "; a weight_scale holds one value");
        }
        float[] v = new float[1];
        SourceTensor.stored(e.name(), type, new long[] {1}, e.data()).rows().readRows(0, 1, v);
        return v[0];
    }

    private static void requireShape(Safetensors.Entry e, long[] expected, String what) {
        if (!Arrays.equals(e.shape(), expected)) {
            throw new IllegalArgumentException("tensor '" + e.name() + "' has shape " + Arrays.toString(e.shape()) + "; config.json implies "
                    + (what.isEmpty() ? "" : what + " ") + Arrays.toString(expected));
        }
    }

    private static long[] reversed(long[] shape) {
        long[] out = new long[shape.length];
        for (int i = 0; i < shape.length; i++) {
            out[i] = shape[shape.length - 1 - i];
        }
        return out;
    }

    private static Map<String, GgufValue> metadata(Path dir, HfConfig c, String arch) {
        return new ModelHparams(arch, c.vocabSize(), c.contextLength(), c.hidden(), c.layers(), c.intermediate(), c.heads(), c.kvHeads(),
                c.rmsEps(), c.ropeTheta(), c.headDim(), c.hiddenAct()).metadata(dir.toAbsolutePath().normalize().getFileName().toString());
    }
}
