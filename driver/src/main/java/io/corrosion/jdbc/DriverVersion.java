package io.corrosion.jdbc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/** The driver's name and version, as the build stamped them into {@code version.properties}. */
public final class DriverVersion {
    public static final String NAME = "corrosion-jdbc";
    /** e.g. {@code 0.1.0-SNAPSHOT}. */
    public static final String VERSION;
    public static final int MAJOR;
    public static final int MINOR;

    static {
        Properties p = new Properties();
        try (InputStream in = DriverVersion.class.getResourceAsStream("version.properties")) {
            if (in == null) {
                throw new IllegalStateException("version.properties missing from the driver jar");
            }
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        VERSION = p.getProperty("version");
        String[] parts = VERSION.split("[.-]");
        MAJOR = Integer.parseInt(parts[0]);
        MINOR = Integer.parseInt(parts[1]);
    }

    private DriverVersion() {}
}
