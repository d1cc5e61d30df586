import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassFileVersion;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeTransform;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Rewrites the class files in a jar that are older than Java 6 (class file version 50) as Java 8 class files (52)
 * with the stack maps that version requires, leaving everything else in the jar as it is.
 *
 * <p>Why: the JVM's startup cache (the class-data-sharing archive {@code ./bitnet4j} makes once per build) cannot hold
 * classes of version 49 or older, because they are verified by the old type-inferring verifier at every start.
 * picocli's jar is compiled for Java 5, so its classes (173 of them for {@code run}) were read from the jar,
 * parsed and verified on every start of the CLI: about 0.05 s of each command (docs/bench-log.md, session 14). The
 * bytecode is unchanged; the JDK's class-file API only adds the stack maps, which the JVM checks when it loads the
 * classes, so a wrong one fails loudly (a {@code VerifyError}), never silently.
 *
 * <p>Usage: {@code java scripts/ClassFileUpgrade.java JAR}. The jar is replaced through a temporary file and a
 * rename, and only if some class needed the upgrade (running it twice changes nothing the second time). Run by the
 * CLI module's build after it packs {@code bitnet4j.jar}.
 */
public final class ClassFileUpgrade {
    private static final int OLDEST_KEPT = ClassFile.JAVA_6_VERSION;
    private static final int TARGET = ClassFile.JAVA_8_VERSION;

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: java scripts/ClassFileUpgrade.java JAR");
            System.exit(2);
        }
        Path jar = Path.of(args[0]).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            System.err.println("ClassFileUpgrade: no such jar: " + jar);
            System.exit(1);
        }
        Path temp = jar.resolveSibling("." + jar.getFileName() + ".upgrade.tmp");
        int upgraded;
        try (URLClassLoader classes = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
            // the stack maps need the class hierarchy at merge points: the JDK's own classes, then the jar's
            ClassFile cf = ClassFile.of(ClassFile.StackMapsOption.GENERATE_STACK_MAPS,
                    ClassFile.ClassHierarchyResolverOption.of(ClassHierarchyResolver.defaultResolver()
                            .orElse(ClassHierarchyResolver.ofResourceParsing(classes))));
            upgraded = copy(jar, temp, cf);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        if (upgraded == 0) {
            Files.deleteIfExists(temp);
            return;
        }
        Files.move(temp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("ClassFileUpgrade: " + upgraded + " class files in " + jar.getFileName()
                + " rewritten as version " + TARGET);
    }

    /** Copies {@code from} to {@code to} entry by entry, in order, upgrading old class files; returns how many. */
    private static int copy(Path from, Path to, ClassFile cf) throws IOException {
        int upgraded = 0;
        try (InputStream fin = Files.newInputStream(from); ZipInputStream in = new ZipInputStream(fin);
                OutputStream fout = Files.newOutputStream(to); ZipOutputStream out = new ZipOutputStream(fout)) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) {
                byte[] bytes = in.readAllBytes();
                if (e.getName().endsWith(".class") && majorVersion(bytes) < OLDEST_KEPT) {
                    try {
                        bytes = upgrade(cf, bytes);
                    } catch (RuntimeException ex) {
                        throw new IllegalStateException("cannot upgrade " + e.getName() + " in " + from + ": " + ex, ex);
                    }
                    upgraded++;
                }
                ZipEntry copy = new ZipEntry(e.getName());
                copy.setTime(e.getTime());
                out.putNextEntry(copy);
                out.write(bytes);
                out.closeEntry();
            }
        }
        return upgraded;
    }

    private static int majorVersion(byte[] classFile) {
        return classFile.length < 8 ? Integer.MAX_VALUE : (classFile[6] & 0xFF) << 8 | (classFile[7] & 0xFF);
    }

    /** The class at version {@link #TARGET}: every method body rebuilt, which makes the class-file API add stack maps. */
    private static byte[] upgrade(ClassFile cf, byte[] bytes) {
        ClassTransform version = (builder, element) -> {
            if (element instanceof ClassFileVersion) {
                builder.withVersion(TARGET, 0);
            } else {
                builder.with(element);
            }
        };
        return cf.transformClass(cf.parse(bytes), version.andThen(ClassTransform.transformingMethodBodies(CodeTransform.ACCEPT_ALL)));
    }
}
