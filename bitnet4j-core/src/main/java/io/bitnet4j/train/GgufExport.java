package io.bitnet4j.train;

import io.bitnet4j.convert.Architectures;
import io.bitnet4j.convert.Conversion;
import io.bitnet4j.convert.FileType;
import io.bitnet4j.convert.ModelHparams;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufWriter;
import io.bitnet4j.gguf.RowSource;
import io.bitnet4j.gguf.TensorCodec;
import io.bitnet4j.gguf.TernarySource;
import io.bitnet4j.quant.AbsmeanQuantizer;
import io.bitnet4j.quant.Granularity;
import io.bitnet4j.quant.TernaryWeight;
import io.bitnet4j.tensor.Shape;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a trained model as a GGUF file of llama.cpp's {@code bitnet} architecture, with the tensor names and
 * metadata {@code convert}/{@code synth} write, so that both our engine and mainline llama.cpp load it. Linear weights
 * are quantized exactly as the trainer's forward pass does (absmean per tensor: trits and one γ) and stored in a ternary
 * type, γ becoming every block's scale (TQ1_0/TQ2_0 round it to fp16) or the I2_S tensor scale; a float model (mode
 * {@link TrainMode#FLOAT}) stores them as F16. Norms are F32, the (tied) embedding F16.
 */
public final class GgufExport {
    private static final AbsmeanQuantizer WEIGHTS = AbsmeanQuantizer.of(Granularity.perTensor());

    private GgufExport() {}

    /**
     * Writes {@code params} to {@code out}.
     *
     * @param ternary    store linear weights ternary (QAT and PTQ) rather than F16 (the float baseline)
     * @param type       TQ1_0, TQ2_0 or I2_S (used when {@code ternary})
     * @param vocabulary the {@code tokenizer.ggml.*} keys; their token count must be the model's vocabulary
     */
    public static void write(ParamLayout layout, float[] params, boolean ternary, GgmlType type, Map<String, GgufValue> vocabulary,
                             String name, Path out) throws IOException {
        ModelShape s = layout.shape();
        if (ternary && !(type == GgmlType.TQ1_0 || type == GgmlType.TQ2_0 || type == GgmlType.I2_S)) {
            throw new IllegalArgumentException("a ternary export needs TQ1_0, TQ2_0 or I2_S, not " + type);
        }
        GgmlType linearType = ternary ? type : GgmlType.F16;
        for (ParamLayout.Slot slot : layout.slots()) {
            if (slot.kind() == ParamLayout.Kind.LINEAR && !TensorCodec.of(linearType).acceptsRowLength(slot.cols())) {
                throw new IllegalArgumentException("tensor '" + slot.name() + "' has rows of " + slot.cols() + ", which " + linearType
                        + " cannot hold (use widths that are multiples of 256 for TQ1_0/TQ2_0, of 128 for I2_S)");
            }
        }
        Map<String, GgufValue> md = new LinkedHashMap<>(new ModelHparams(Architectures.BITNET, s.vocab(), s.context(), s.dim(), s.layers(),
                s.ffn(), s.heads(), s.kvHeads(), s.rmsEps(), s.ropeTheta(), s.headDim(), s.activation().ggufName()).metadata(name));
        md.put("general.file_type", GgufValue.u32(FileType.of(ternary ? type : GgmlType.F16)));
        md.put("general.quantization_version", GgufValue.u32(Conversion.QUANTIZATION_VERSION));
        md.putAll(vocabulary);
        // Training windows are cut from a running text and never start with BOS, so a BOS the runtime put first would be
        // a token the model has never seen (its embedding only ever decayed): tell llama.cpp and our engine not to add it.
        md.put("tokenizer.ggml.add_bos_token", GgufValue.bool(false));
        try (GgufWriter w = GgufWriter.create(out)) {
            md.forEach(w::put);
            for (ParamLayout.Slot slot : layout.slots()) {
                long[] dims = slot.kind() == ParamLayout.Kind.NORM ? new long[] {slot.cols()} : new long[] {slot.cols(), slot.rows()};
                w.addTensor(slot.name(), typeOf(slot, linearType), dims);
            }
            for (ParamLayout.Slot slot : layout.slots()) {
                float[] values = Arrays.copyOfRange(params, slot.offset(), slot.offset() + slot.size());
                GgmlType t = typeOf(slot, linearType);
                if (slot.kind() == ParamLayout.Kind.LINEAR && ternary) {
                    TernaryWeight tw = WEIGHTS.quantize(values, Shape.of(slot.rows(), slot.cols()));
                    w.writeTensor(slot.name(), channel -> TensorCodec.of(t).encodeTernary(TernarySource.of(slot.name(), tw), channel));
                } else {
                    w.writeTensor(slot.name(), channel -> TensorCodec.of(t).encode(RowSource.of(slot.name(), slot.cols(), values), channel));
                }
            }
            w.finish();
        }
    }

    private static GgmlType typeOf(ParamLayout.Slot slot, GgmlType linearType) {
        return switch (slot.kind()) {
            case NORM -> GgmlType.F32;
            case EMBEDDING -> GgmlType.F16;
            case LINEAR -> linearType;
        };
    }
}
