package dev.vigil.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A real PostgreSQL server (zonky's embedded binaries, started as a child process) with a
 * database named {@value #DATABASE}.
 *
 * <p>Authentication is {@code trust} for user {@value #USER} on localhost; there is no password.
 * The JDBC URL does not carry the user, so pass {@link #user()} as well (or use
 * {@link #dataSource()}).
 *
 * <p>By default the data lives in a temp directory that {@link #close()} deletes. A data directory
 * passed to {@link #start(int, Path)} is kept on close and reused by the next start (so a
 * {@code --keep-running} user can find it and a restart finds its rows again). The server is also
 * stopped by a JVM shutdown hook if {@link #close()} is never called.
 */
public final class EmbeddedPostgres implements AutoCloseable {

    public static final String DATABASE = "vigil";
    public static final String USER = "postgres";
    private static final String HOST = "localhost";
    private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private final io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final DataSource dataSource;
    private final Thread shutdownHook;
    private boolean closed;

    private EmbeddedPostgres(io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg, Path dataDir, boolean deleteOnClose) {
        this.pg = pg;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.dataSource = dataSource(DATABASE);
        this.shutdownHook = new Thread(this::close, "vigil-embedded-postgres-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts PostgreSQL on a free port with a temp data directory (deleted on close). */
    public static EmbeddedPostgres start() {
        return start(0, null);
    }

    /**
     * Starts PostgreSQL and creates the database {@value #DATABASE} if it does not exist.
     *
     * @param port TCP port on localhost; 0 for a free one
     * @param dataDir the cluster's data directory, kept on close and reused when it already holds
     *     a cluster; {@code null} for a temp directory that {@link #close()} deletes
     */
    public static EmbeddedPostgres start(int port, Path dataDir) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        EmbeddedKafka.quietServerLogging();
        boolean temp = dataDir == null;
        Path dir;
        try {
            dir = temp ? Files.createTempDirectory("vigil-pg-") : Files.createDirectories(dataDir).toAbsolutePath();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create PostgreSQL data directory " + dataDir, e);
        }
        io.zonky.test.db.postgres.embedded.EmbeddedPostgres pg;
        try {
            io.zonky.test.db.postgres.embedded.EmbeddedPostgres.Builder builder =
                    io.zonky.test.db.postgres.embedded.EmbeddedPostgres.builder()
                            .setPort(port)
                            .setDataDirectory(dir)
                            // false: an existing cluster in dir is reused (initdb only runs on an
                            // empty dir) and zonky never deletes it; close() deletes a temp dir.
                            .setCleanDataDirectory(false)
                            // Our own hook below stops the server before deleting the directory.
                            .setRegisterShutdownHook(false);
            if (temp) {
                // Throw-away data: skip the fsyncs.
                builder.setServerConfig("fsync", "off").setServerConfig("full_page_writes", "off");
            }
            pg = builder.start();
        } catch (IOException | RuntimeException e) {
            if (temp) {
                EmbeddedKafka.deleteRecursively(dir);
            }
            throw new IllegalStateException("cannot start embedded PostgreSQL in " + dir, e);
        } catch (Error e) {
            if (temp) {
                EmbeddedKafka.deleteRecursively(dir);
            }
            throw e;
        }
        EmbeddedPostgres db = new EmbeddedPostgres(pg, dir, temp);
        try {
            db.createDatabase(DATABASE);
        } catch (RuntimeException e) {
            db.close();
            throw e;
        }
        return db;
    }

    /** JDBC URL of database {@value #DATABASE} (no credentials in it: use {@link #user()}). */
    public String jdbcUrl() {
        return jdbcUrl(DATABASE);
    }

    /** JDBC URL of another database on this server (no credentials in it: use {@link #user()}). */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port() + "/" + database;
    }

    /** The superuser; it needs no password. */
    public String user() {
        return USER;
    }

    /** Always empty: the server trusts local connections. */
    public String password() {
        return "";
    }

    public int port() {
        return pg.getPort();
    }

    /** A (non-pooling) data source for database {@value #DATABASE}. */
    public DataSource dataSource() {
        return dataSource;
    }

    /** A (non-pooling) data source for another database on this server. */
    public DataSource dataSource(String database) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setServerNames(new String[] {HOST});
        ds.setPortNumbers(new int[] {port()});
        ds.setDatabaseName(database);
        ds.setUser(USER);
        return ds;
    }

    /** A command line to paste into a shell to open {@code psql} on database {@value #DATABASE}. */
    public String psqlCommand() {
        return "psql -h " + HOST + " -p " + port() + " -U " + USER + " " + DATABASE;
    }

    /** The PostgreSQL data directory. */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a database unless it exists. Names are restricted to lower-case letters, digits and
     * underscores.
     *
     * @return true if it was created, false if it existed already
     */
    public boolean createDatabase(String name) {
        if (!DATABASE_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain database name: " + name);
        }
        try (Connection c = dataSource("postgres").getConnection()) {
            try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                ps.setString(1, name);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next()) {
                        return false;
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.execute("CREATE DATABASE " + name);
                return true;
            } catch (SQLException e) {
                if ("42P04".equals(e.getSQLState())) { // duplicate_database: created concurrently
                    return false;
                }
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
    }

    /** Stops the server; deletes the data directory if it is a temp one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        EmbeddedKafka.removeShutdownHook(shutdownHook);
        try {
            pg.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot stop embedded PostgreSQL", e);
        } finally {
            if (deleteOnClose) {
                EmbeddedKafka.deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedPostgres[" + jdbcUrl() + ", " + dataDir + "]";
    }
}
