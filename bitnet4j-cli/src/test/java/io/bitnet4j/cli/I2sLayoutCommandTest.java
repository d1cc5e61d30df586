package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.bitnet4j.format.I2sArm;
import io.bitnet4j.gguf.GgmlType;
import io.bitnet4j.gguf.GgufFile;
import io.bitnet4j.gguf.GgufTensor;
import io.bitnet4j.gguf.I2sLayoutMark;
import java.io.IOException;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** i2s-layout: a model to bitnet.cpp's ARM layout and back, what inspect says of it, and the refusal of a marked file. */
class I2sLayoutCommandTest {
    @TempDir
    Path dir;

    @Test
    void toArmAndBackGivesTheSameFileAndTheArmFileIsRefused() throws IOException {
        Path x86 = dir.resolve("x86.gguf");
        Path arm = dir.resolve("arm.gguf");
        Path back = dir.resolve("back.gguf");
        assertEquals(0, MainTest.run("synth", "--preset", "tiny", "--type", "i2_s", "-o", x86.toString(), "--seed", "2").code());

        MainTest.Result r = MainTest.run("i2s-layout", "--to", "arm", x86.toString(), "-o", arm.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("I2_S tensors") && r.out().contains("ARM layout"), r.out());
        try (GgufFile a = GgufFile.open(x86); GgufFile b = GgufFile.open(arm)) {
            assertTrue(I2sLayoutMark.marksArm(b.metadata()));
            assertFalse(I2sLayoutMark.marksArm(a.metadata()));
            int i2s = 0;
            for (GgufTensor t : a.tensors()) {
                byte[] before = t.data().toArray(ValueLayout.JAVA_BYTE);
                byte[] after = b.tensor(t.name()).data().toArray(ValueLayout.JAVA_BYTE);
                if (t.type() != GgmlType.I2_S) {
                    assertArrayEquals(before, after, t.name() + " is copied");
                    continue;
                }
                i2s++;
                int codes = (int) (t.nElements() / 4);
                byte[] expected = new byte[codes];
                I2sArm.fromX86(before, 0, expected, 0, t.nElements());
                assertArrayEquals(expected, Arrays.copyOf(after, codes), t.name() + "'s codes");
                assertArrayEquals(Arrays.copyOfRange(before, codes, before.length), Arrays.copyOfRange(after, codes, after.length),
                        t.name() + "'s scale and tail");
            }
            assertTrue(i2s > 0, "the model has I2_S tensors");
        }

        MainTest.Result shown = MainTest.run("inspect", arm.toString());
        assertTrue(shown.out().contains("I2_S layout: ARM (marked"), shown.out());
        shown = MainTest.run("inspect", x86.toString());
        assertTrue(shown.out().contains("I2_S layout: read as x86"), shown.out());

        for (String[] command : new String[][] {
                {"run", "-m", arm.toString(), "-p", "hi", "-n", "1"},
                {"convert", arm.toString(), "-o", dir.resolve("c.gguf").toString(), "--type", "tq2_0"}}) {
            r = MainTest.run(command);
            assertEquals(1, r.code(), command[0]);
            assertTrue(r.err().contains("ARM layout") && r.err().contains("i2s-layout --to x86"), r.err());
        }
        r = MainTest.run("i2s-layout", "--to", "arm", arm.toString(), "-o", dir.resolve("twice.gguf").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("already"), r.err());
        assertFalse(Files.exists(dir.resolve("twice.gguf")));

        r = MainTest.run("i2s-layout", "--to", "x86", arm.toString(), "-o", back.toString());
        assertEquals(0, r.code(), r.err());
        assertArrayEquals(Files.readAllBytes(x86), Files.readAllBytes(back), "x86 -> ARM -> x86 is the same file");
    }

    @Test
    void refusesAnUnknownLayout() {
        MainTest.Result r = MainTest.run("i2s-layout", "--to", "neon", "in.gguf", "-o", dir.resolve("o.gguf").toString());
        assertEquals(1, r.code());
        assertTrue(r.err().contains("--to neon") && r.err().contains("x86 or arm"), r.err());
    }
}
