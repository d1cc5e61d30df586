/**
 * Matrix kernels: weight matrices multiplied by activation rows, read in place from memory-mapped GGUF tensors.
 *
 * <ul>
 *   <li>{@link io.bitnet4j.kernel.WeightMatrix} — a {@code [rows, cols]} weight bound to a kernel; computes
 *       any range of output rows for a batch of tokens, reusing each decoded weight row across the tokens.
 *   <li>{@link io.bitnet4j.kernel.MatrixKernels} — binds a {@link io.bitnet4j.gguf.GgufTensor} to the first
 *       {@link io.bitnet4j.kernel.KernelProvider} that has a kernel for its type: the Vector API kernels
 *       ({@code MatrixKernels.defaults()}: TQ1_0, TQ2_0 and I2_S repacked at load for lookup tables, F16 in
 *       place, optionally through an int8 copy; width {@code -Dbitnet4j.vector.bits=512|256|preferred}), then
 *       {@link io.bitnet4j.kernel.ScalarKernels}, the bit-exact references; every other type {@link io.bitnet4j.gguf.TensorCodec}
 *       decodes (Q8_0, Q4_0, Q4_K, Q6_K, ...) is multiplied through dequantized float32 rows, and
 *       {@link io.bitnet4j.kernel.RowDecoder}s plug in further types the same way. The vectorized kernels sum in their own order only
 *       for {@link io.bitnet4j.kernel.Summation.Routine#KERNEL_ORDER} ({@code Numerics.FAST}); asked for a
 *       peer's order they hand the product to the scalar kernel (I2_S's lookup tables are exact in any order).
 *   <li>{@link io.bitnet4j.kernel.Activations} — the activation rows converted to what each weight type's
 *       reference implementation multiplies ({@link io.bitnet4j.kernel.ActivationType}: f16, bf16, Q8_K
 *       blocks, int8 per token), once per input.
 *   <li>{@link io.bitnet4j.kernel.MatMul} and {@link io.bitnet4j.kernel.WorkerPool} — output rows split
 *       over a fixed set of threads without allocating; every row is computed the same way whatever the split.
 *   <li>{@link io.bitnet4j.kernel.Summation} and {@link io.bitnet4j.kernel.GgmlSimd} — the summation
 *       orders of ggml's x86 routines, which the scalar kernels follow so that results agree with the peers
 *       to the last bit.
 * </ul>
 *
 * <p>A vector carried from one loop iteration to the next (a sum, a running maximum) is updated with
 * {@code v = v.lanewise(ADD, w)}, never {@code v = v.add(w)}. C2 knows such a value only as a {@code FloatVector} (not
 * its shape), so it needs a receiver type profile to inline the call into the vector instruction. {@code add} takes
 * it from its own bytecode inside the JDK, shared by every caller and every vector shape, and profiled only if the JDK
 * method ran as profiling code before our kernel was compiled; when it had not, C2 compiled a plain call into the
 * Java fallback for good (the Q8_K quantizer once took a prompt from 125 to 70 tokens/s). {@code lanewise} called
 * here is profiled in the kernel's own bytecode, which has seen one shape. docs/bench-log.md, "Session 20". The same
 * holds after the loop: the final sums of such vectors ({@code a0.lanewise(ADD, a1)}) are {@code lanewise} too; a
 * Q4_K prompt kernel compiled early had 12 calls per row left as calls (session 24).
 *
 * <p>For the same reason a kernel whose segments are native by construction casts them to
 * {@link io.bitnet4j.kernel.SegmentKinds#NATIVE} on entry: a segment load or store asks the segment for its base
 * inside the JDK, a virtual call that C2 otherwise inlines only from a shared profile (session 25).
 */
package io.bitnet4j.kernel;
