package io.bitnet4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The build step that rewrites picocli's Java 5 class files as Java 8 ones ({@code scripts/ClassFileUpgrade.java}),
 * run on the picocli jar these tests use: every class comes out at version 52 and passes the JVM's verifier with
 * its new stack maps, picocli still parses a command line, the other entries keep their bytes, and a second run
 * changes nothing.
 */
class ClassFileUpgradeTest {
    private static final Path SCRIPT = Path.of("..", "scripts", "ClassFileUpgrade.java");

    @Test
    void picocliComesOutAtVersion52VerifiedAndWorking(@TempDir Path dir) throws Exception {
        Path jar = Files.copy(picocliJar(), dir.resolve("picocli.jar"));
        Map<String, byte[]> before = entries(jar);
        assertTrue(before.values().stream().anyMatch(b -> b.length > 8 && majorVersion(b) < 50),
                "the test needs a jar with old class files");

        String out = upgrade(jar);
        Map<String, byte[]> after = entries(jar);
        assertEquals(List.copyOf(before.keySet()), List.copyOf(after.keySet()), "the same entries, in the same order");
        long classes = 0;
        for (Map.Entry<String, byte[]> e : after.entrySet()) {
            if (e.getKey().endsWith(".class") && !e.getKey().endsWith("module-info.class")) {
                assertEquals(52, majorVersion(e.getValue()), e.getKey());
                classes++;
            } else {
                assertArrayEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " unchanged");
            }
        }
        assertTrue(out.contains(classes + " class files"), out);

        try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            List<String> failures = new ArrayList<>();
            for (String name : after.keySet()) {
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    try { // initializing links the class, which verifies its methods against the stack maps
                        Class.forName(binaryName(name), true, loader);
                    } catch (VerifyError | ClassFormatError e) {
                        failures.add(name + ": " + e);
                    }
                }
            }
            assertEquals(List.of(), failures);
            // and it still works: a spec built from the rewritten classes parses an option
            Class<?> specs = Class.forName("picocli.CommandLine$Model$CommandSpec", true, loader);
            Object spec = specs.getMethod("create").invoke(null);
            Class<?> options = Class.forName("picocli.CommandLine$Model$OptionSpec", true, loader);
            Object builder = options.getMethod("builder", String.class, String[].class).invoke(null, "-n", new String[0]);
            Method type = builder.getClass().getMethod("type", Class.class);
            type.setAccessible(true); // declared by a package-private superclass of the builder
            type.invoke(builder, int.class);
            Object option = builder.getClass().getMethod("build").invoke(builder);
            specs.getMethod("addOption", options).invoke(spec, option);
            Class<?> commandLine = Class.forName("picocli.CommandLine", true, loader);
            Object cl = commandLine.getConstructor(Object.class).newInstance(spec);
            commandLine.getMethod("parseArgs", String[].class).invoke(cl, (Object) new String[] {"-n", "42"});
            assertEquals(42, (Integer) options.getMethod("getValue").invoke(option));
        }
    }

    @Test
    void aSecondRunLeavesTheJarAlone(@TempDir Path dir) throws Exception {
        Path jar = Files.copy(picocliJar(), dir.resolve("picocli.jar"));
        upgrade(jar);
        byte[] once = Files.readAllBytes(jar);
        String out = upgrade(jar);
        assertArrayEquals(once, Files.readAllBytes(jar));
        assertEquals("", out.strip(), "nothing to say when nothing was rewritten");
    }

    @Test
    void aMissingJarIsAnError(@TempDir Path dir) throws Exception {
        Process p = start(dir.resolve("none.jar"));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(out.contains("no such jar"), out);
    }

    /** The jar picocli's classes come from in this test run (the one the CLI's jar is built with). */
    private static Path picocliJar() throws Exception {
        Path jar = Path.of(CommandLine.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        assertTrue(Files.isRegularFile(jar), "picocli from a jar: " + jar);
        return jar;
    }

    private static String upgrade(Path jar) throws Exception {
        Process p = start(jar);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static Process start(Path jar) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), SCRIPT.toString(), jar.toString()).redirectErrorStream(true).start();
    }

    private static Map<String, byte[]> entries(Path jar) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        try (InputStream f = Files.newInputStream(jar); ZipInputStream in = new ZipInputStream(f)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                m.put(e.getName(), in.readAllBytes());
            }
        }
        return m;
    }

    private static int majorVersion(byte[] classFile) {
        return (classFile[6] & 0xFF) << 8 | (classFile[7] & 0xFF);
    }

    private static String binaryName(String entry) {
        return entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
    }
}
