package io.bitnet4j.cli;

import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufTensor;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Tensor, parameter and byte counts of a set of tensors, and the storage bits per weight they give. */
record TensorTotals(long tensors, long parameters, long bytes) {

    static TensorTotals of(List<GgufTensor> ts) {
        long n = 0;
        long bytes = 0;
        for (GgufTensor t : ts) {
            n += t.nElements();
            bytes += t.byteSize();
        }
        return new TensorTotals(ts.size(), n, bytes);
    }

    /** Totals per type, in ggml id order. */
    static Map<GgmlType, TensorTotals> byType(List<GgufTensor> ts) {
        Map<GgmlType, TensorTotals> out = new TreeMap<>();
        for (GgufTensor t : ts) {
            out.merge(t.type(), new TensorTotals(1, t.nElements(), t.byteSize()), TensorTotals::plus);
        }
        return out;
    }

    TensorTotals plus(TensorTotals o) {
        return new TensorTotals(tensors + o.tensors, parameters + o.parameters, bytes + o.bytes);
    }

    /** Bits of storage per parameter, per-tensor trailers included (0 when there are no parameters). */
    double bitsPerWeight() {
        return parameters == 0 ? 0 : 8.0 * bytes / parameters;
    }
}
