package io.bitnet4j.train;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A {@link TrainState} on disk: a small header (magic, version, the {@link ModelShape}, the step), the parameters and
 * both AdamW moments as little-endian float32, then the loss history. Written to a temporary file and renamed, so
 * an interrupted save leaves the previous checkpoint intact.
 */
public final class Checkpoint {
    private static final long MAGIC = 0x4234_4A54_5241_494EL; // "B4JTRAIN"
    private static final int VERSION = 1;

    private Checkpoint() {}

    /** Writes {@code state} to {@code file}. */
    public static void save(TrainState state, Path file) throws IOException {
        AtomicFile.write(file, tmp -> write(state, tmp));
    }

    private static void write(TrainState state, Path tmp) throws IOException {
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20))) {
            ModelShape s = state.layout().shape();
            out.writeLong(MAGIC);
            out.writeInt(VERSION);
            for (int v : new int[] {s.vocab(), s.dim(), s.layers(), s.heads(), s.kvHeads(), s.ffn(), s.context()}) {
                out.writeInt(v);
            }
            out.writeFloat(s.ropeTheta());
            out.writeFloat(s.rmsEps());
            out.writeUTF(s.activation().name());
            out.writeLong(state.step());
            writeFloats(out, state.params());
            writeFloats(out, state.adam().firstMoment());
            writeFloats(out, state.adam().secondMoment());
            out.writeInt(state.history().size());
            for (TrainState.Point p : state.history()) {
                out.writeLong(p.step());
                out.writeDouble(p.trainLoss());
                out.writeDouble(p.lr());
                out.writeDouble(p.validationLoss());
            }
        }
    }

    /** Reads a state saved by {@link #save}; throws {@link IOException} naming the file if it is not one. */
    public static TrainState load(Path file) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 20))) {
            if (in.readLong() != MAGIC || in.readInt() != VERSION) {
                throw new IOException(file + " is not a bitnet4j training checkpoint (version " + VERSION + ")");
            }
            int[] d = new int[7];
            for (int i = 0; i < d.length; i++) {
                d[i] = in.readInt();
            }
            float theta = in.readFloat();
            float eps = in.readFloat();
            GateActivation act = GateActivation.valueOf(in.readUTF());
            ModelShape shape;
            try {
                shape = new ModelShape(d[0], d[1], d[2], d[3], d[4], d[5], d[6], theta, eps, act);
            } catch (IllegalArgumentException e) {
                throw new IOException(file + ": corrupt model shape: " + e.getMessage(), e);
            }
            ParamLayout layout = new ParamLayout(shape);
            long step = in.readLong();
            float[] params = readFloats(in, layout.size());
            AdamW adam = TrainState.newAdam(layout);
            System.arraycopy(readFloats(in, layout.size()), 0, adam.firstMoment(), 0, layout.size());
            System.arraycopy(readFloats(in, layout.size()), 0, adam.secondMoment(), 0, layout.size());
            int n = in.readInt();
            List<TrainState.Point> history = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                history.add(new TrainState.Point(in.readLong(), in.readDouble(), in.readDouble(), in.readDouble()));
            }
            return new TrainState(layout, params, adam, step, history);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        out.write(b.array());
    }

    private static float[] readFloats(DataInputStream in, int n) throws IOException {
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        float[] v = new float[n];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(v);
        return v;
    }
}
