package io.bitnet4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufArray;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.GgufValue;
import io.bitnet4j.gguf.GgufValueType;
import java.math.BigInteger;
import java.util.Map;

/**
 * The {@code inspect --json} document. Metadata is an object keyed by GGUF key, in file order, each entry
 * {@code {"type", "value"}}; arrays give {@code elementType}, {@code length} and the {@code first} few
 * elements instead of a value. Strings are complete (JSON is for programs); unsigned 64-bit values are
 * exact; NaN and infinities, which JSON lacks, are the strings "NaN", "Infinity", "-Infinity".
 */
final class InspectJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private InspectJson() {}

    static String render(GgufFile f) {
        ObjectNode root = NODES.objectNode();
        root.put("file", f.path().toString());
        root.put("fileSize", f.fileSize());
        root.put("version", f.version());
        root.put("alignment", f.alignment());
        root.put("dataOffset", f.dataOffset());

        ObjectNode metadata = root.putObject("metadata");
        for (Map.Entry<String, GgufValue> e : f.metadata().asMap().entrySet()) {
            metadata.set(e.getKey(), entry(e.getValue()));
        }

        ArrayNode tensors = root.putArray("tensors");
        for (GgufTensor t : f.tensors()) {
            ObjectNode n = tensors.addObject();
            n.put("name", t.name());
            n.put("type", t.type().name());
            n.put("typeId", t.type().id());
            ArrayNode shape = n.putArray("shape");
            for (long d : t.dims()) {
                shape.add(d);
            }
            n.put("elements", t.nElements());
            n.put("bytes", t.byteSize());
            n.put("offset", t.offset());
        }

        root.set("totals", totals(TensorTotals.of(f.tensors())));
        ObjectNode byType = root.putObject("byType");
        for (Map.Entry<GgmlType, TensorTotals> e : TensorTotals.byType(f.tensors()).entrySet()) {
            byType.set(e.getKey().name(), totals(e.getValue()));
        }
        try {
            return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise the inspect report", e);
        }
    }

    private static ObjectNode totals(TensorTotals t) {
        ObjectNode n = NODES.objectNode();
        n.put("tensors", t.tensors());
        n.put("parameters", t.parameters());
        n.put("bytes", t.bytes());
        n.put("bitsPerWeight", t.bitsPerWeight());
        return n;
    }

    private static ObjectNode entry(GgufValue v) {
        ObjectNode n = NODES.objectNode();
        n.put("type", v.type().name());
        if (v instanceof GgufArray a) {
            n.put("elementType", a.elementType().name());
            n.put("length", a.length());
            ArrayNode first = n.putArray("first");
            for (int i = 0; i < Math.min(a.length(), InspectCommand.ARRAY_PREVIEW); i++) {
                first.add(a.elementType() == GgufValueType.STRING ? NODES.textNode(a.getString(i)) : scalar(a.get(i)));
            }
        } else {
            n.set("value", v instanceof GgufValue.Text t ? NODES.textNode(t.value()) : scalar((GgufValue.Scalar) v));
        }
        return n;
    }

    private static JsonNode scalar(GgufValue.Scalar s) {
        return switch (s.type()) {
            case BOOL -> NODES.booleanNode(s.asBoolean());
            case FLOAT32, FLOAT64 -> Double.isFinite(s.asDouble())
                    ? (s.type() == GgufValueType.FLOAT32 ? NODES.numberNode(s.asFloat()) : NODES.numberNode(s.asDouble()))
                    : NODES.textNode(Double.toString(s.asDouble()));
            case UINT64 -> NODES.numberNode(new BigInteger(Long.toUnsignedString(s.bits())));
            default -> NODES.numberNode(s.asLong());
        };
    }
}
