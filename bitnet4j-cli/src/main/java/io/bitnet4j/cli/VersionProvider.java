package io.bitnet4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Version line for {@code --version}: the jar's version and the JVM it runs on. */
final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "bitnet4j " + (v != null ? v : "0.1.0-SNAPSHOT"),
            "Java " + Runtime.version() + " (" + System.getProperty("java.vm.name") + ")",
        };
    }
}
