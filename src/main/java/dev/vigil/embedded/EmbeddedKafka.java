package dev.vigil.embedded;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;

/**
 * A real Apache Kafka broker running inside this JVM: one node in KRaft combined mode
 * ({@code process.roles=broker,controller}), listening on 127.0.0.1 only.
 *
 * <p>Meant for {@code vigil demo} and the integration tests. The broker listener uses the given
 * port (or a free ephemeral one); the controller listener always uses a free ephemeral port.
 * Storage is formatted programmatically on first start. If a data directory is passed in and was
 * formatted by an earlier run, it is reused as is (topics and records survive); otherwise a temp
 * directory is created and deleted again by {@link #close()}.
 *
 * <p>Server-side Kafka loggers (and Kafka's config dumps) are turned down to WARN unless the
 * system property {@code vigil.embedded.verbose=true} is set; see {@link #quietServerLogging()}.
 *
 * <p>Needs the {@code org.apache.kafka:kafka_2.13} jar (and its dependencies) on the classpath,
 * which the launcher and the tests have; the job jar does not.
 */
public final class EmbeddedKafka implements AutoCloseable {

    private static final String HOST = "127.0.0.1";
    private static final int NODE_ID = 1;
    private static final String BROKER_LISTENER = "PLAINTEXT";
    private static final String CONTROLLER_LISTENER = "CONTROLLER";
    private static final String LOG_SUBDIR = "kraft-combined-logs";
    private static final int PORT_ATTEMPTS = 5;
    private static final Duration TOPIC_READY_TIMEOUT = Duration.ofSeconds(30);

    private final Path dataDir;
    private final boolean deleteDataDirOnClose;
    private final int port;
    private final String bootstrapServers;
    private final KafkaRaftServer server;
    private final Thread shutdownHook;
    private Admin admin;
    private boolean closed;

    private EmbeddedKafka(Path dataDir, boolean deleteDataDirOnClose, int port, KafkaRaftServer server) {
        this.dataDir = dataDir;
        this.deleteDataDirOnClose = deleteDataDirOnClose;
        this.port = port;
        this.bootstrapServers = HOST + ":" + port;
        this.server = server;
        this.shutdownHook = new Thread(this::close, "vigil-embedded-kafka-shutdown");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts a broker on a free port with a temp data directory (deleted on close). */
    public static EmbeddedKafka start() {
        return start(null, 0);
    }

    /**
     * Starts a broker on a free port.
     *
     * @param dataDir where to keep the broker's data; {@code null} for a temp directory that
     *     {@link #close()} deletes. A directory given here is never deleted.
     */
    public static EmbeddedKafka start(Path dataDir) {
        return start(dataDir, 0);
    }

    /**
     * Starts a broker.
     *
     * @param dataDir where to keep the broker's data; {@code null} for a temp directory that
     *     {@link #close()} deletes. A directory given here is never deleted.
     * @param port the client (PLAINTEXT) port on 127.0.0.1; 0 for a free ephemeral port
     */
    public static EmbeddedKafka start(Path dataDir, int port) {
        return start(dataDir, port, Map.of());
    }

    /**
     * Starts a broker with extra broker settings.
     *
     * @param dataDir where to keep the broker's data; {@code null} for a temp directory that
     *     {@link #close()} deletes. A directory given here is never deleted.
     * @param port the client (PLAINTEXT) port on 127.0.0.1; 0 for a free ephemeral port
     * @param overrides broker properties that replace the defaults chosen here
     */
    public static EmbeddedKafka start(Path dataDir, int port, Map<String, String> overrides) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        quietServerLogging();
        boolean tempDir = dataDir == null;
        Path root;
        try {
            root = tempDir ? Files.createTempDirectory("vigil-kafka-") : Files.createDirectories(dataDir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create Kafka data directory " + dataDir, e);
        }
        Path logDir = root.resolve(LOG_SUBDIR).toAbsolutePath();
        try {
            RuntimeException last = null;
            // A free port found by binding port 0 can be taken by someone else before the broker
            // binds it; retry with fresh ports unless the caller asked for a specific one.
            int attempts = port == 0 ? PORT_ATTEMPTS : 1;
            for (int attempt = 1; attempt <= attempts; attempt++) {
                int brokerPort = port == 0 ? freePort() : port;
                int controllerPort = freePort();
                while (controllerPort == brokerPort) {
                    controllerPort = freePort();
                }
                try {
                    KafkaRaftServer server = startServer(logDir, brokerPort, controllerPort, overrides);
                    return new EmbeddedKafka(root, tempDir, brokerPort, server);
                } catch (RuntimeException e) {
                    last = new IllegalStateException("cannot start embedded Kafka (broker port " + brokerPort
                            + ", controller port " + controllerPort + ", data in " + root + ")", e);
                    if (!isBindFailure(e)) {
                        break;
                    }
                }
            }
            throw last;
        } catch (RuntimeException | Error e) {
            if (tempDir) {
                deleteRecursively(root);
            }
            throw e;
        }
    }

    private static KafkaRaftServer startServer(
            Path logDir, int brokerPort, int controllerPort, Map<String, String> overrides) {
        Properties props = brokerProperties(logDir, brokerPort, controllerPort);
        props.putAll(overrides);
        formatIfNeeded(logDir, props);
        KafkaConfig config = KafkaConfig.fromProps(props, false);
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        try {
            // Returns once the controller is up, the broker has caught up with the metadata log
            // and has been unfenced, i.e. the broker is ready for clients.
            server.startup();
            return server;
        } catch (RuntimeException | Error e) {
            try {
                server.shutdown();
                server.awaitShutdown();
            } catch (RuntimeException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private static Properties brokerProperties(Path logDir, int brokerPort, int controllerPort) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(NODE_ID));
        p.put("controller.quorum.voters", NODE_ID + "@" + HOST + ":" + controllerPort);
        p.put("listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort + ","
                + CONTROLLER_LISTENER + "://" + HOST + ":" + controllerPort);
        p.put("advertised.listeners", BROKER_LISTENER + "://" + HOST + ":" + brokerPort);
        p.put("listener.security.protocol.map",
                BROKER_LISTENER + ":PLAINTEXT," + CONTROLLER_LISTENER + ":PLAINTEXT");
        p.put("controller.listener.names", CONTROLLER_LISTENER);
        p.put("inter.broker.listener.name", BROKER_LISTENER);
        p.put("log.dirs", logDir.toString());
        p.put("metadata.log.dir", logDir.toString());

        // One node: every internal topic has a single replica.
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("share.coordinator.state.topic.num.partitions", "4");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");

        p.put("num.partitions", "2");
        p.put("auto.create.topics.enable", "true");
        p.put("delete.topic.enable", "true");
        p.put("group.initial.rebalance.delay.ms", "0");

        // Small footprint for a laptop or a test JVM.
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("background.threads", "2");
        p.put("num.recovery.threads.per.data.dir", "1");
        p.put("log.cleaner.threads", "1");
        p.put("log.cleaner.dedupe.buffer.size", Integer.toString(4 * 1024 * 1024));
        // Faster broker registration / unfencing at startup.
        p.put("broker.heartbeat.interval.ms", "500");
        p.put("broker.session.timeout.ms", "9000");
        return p;
    }

    /** Formats the storage directory unless an earlier run already did. */
    private static void formatIfNeeded(Path logDir, Properties props) {
        if (Files.exists(logDir.resolve("meta.properties"))) {
            return;
        }
        try {
            Files.createDirectories(logDir);
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setNodeId(NODE_ID)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir.toString())
                    .setMetadataLogDirectory(logDir.toString())
                    .setControllerListenerName(props.getProperty("controller.listener.names"))
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format Kafka storage in " + logDir, e);
        }
    }

    /** {@code host:port} for {@code bootstrap.servers}. */
    public String bootstrapServers() {
        return bootstrapServers;
    }

    /** The client (PLAINTEXT) port on 127.0.0.1. */
    public int port() {
        return port;
    }

    /** The root data directory (the log directory is a sub directory of it). */
    public Path dataDir() {
        return dataDir;
    }

    /**
     * Creates a topic with replication factor 1 and waits until every partition has a leader.
     * Does nothing if the topic exists already (whatever its partition count).
     */
    public void createTopic(String name, int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1: " + partitions);
        }
        Admin admin = admin();
        try {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1)))
                    .all()
                    .get(TOPIC_READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("cannot create topic " + name, e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while creating topic " + name, e);
        } catch (TimeoutException e) {
            throw new IllegalStateException("timed out creating topic " + name, e);
        }
        awaitTopicReady(admin, name);
    }

    private static void awaitTopicReady(Admin admin, String name) {
        long deadline = System.nanoTime() + TOPIC_READY_TIMEOUT.toNanos();
        while (true) {
            try {
                TopicDescription d = admin.describeTopics(List.of(name))
                        .allTopicNames()
                        .get(5, TimeUnit.SECONDS)
                        .get(name);
                if (d != null && d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty())) {
                    return;
                }
            } catch (ExecutionException e) {
                if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
                    throw new IllegalStateException("cannot describe topic " + name, e.getCause());
                }
            } catch (TimeoutException e) {
                // retry until the deadline
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("topic " + name + " has no leader after " + TOPIC_READY_TIMEOUT);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for topic " + name, e);
            }
        }
    }

    private synchronized Admin admin() {
        if (closed) {
            throw new IllegalStateException("EmbeddedKafka is closed");
        }
        if (admin == null) {
            admin = Admin.create(Map.of(
                    AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                    AdminClientConfig.CLIENT_ID_CONFIG, "vigil-embedded-kafka-admin"));
        }
        return admin;
    }

    /** Shuts the broker down and waits for it; deletes the data directory if it is a temp one. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        removeShutdownHook(shutdownHook);
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
            admin = null;
        }
        try {
            server.shutdown();
            server.awaitShutdown();
        } finally {
            if (deleteDataDirOnClose) {
                deleteRecursively(dataDir);
            }
        }
    }

    @Override
    public String toString() {
        return "EmbeddedKafka[" + bootstrapServers + ", " + dataDir + "]";
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot find a free port", e);
        }
    }

    private static boolean isBindFailure(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
            String message = t.getMessage();
            if (message != null && message.contains("Address already in use")) {
                return true;
            }
        }
        return false;
    }

    /** Unregisters a hook unless the JVM is already shutting down (then the hook is running). */
    static void removeShutdownHook(Thread hook) {
        if (Thread.currentThread() == hook) {
            return;
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shutdownInProgress) {
            // nothing to do
        }
    }

    static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                    if (exc instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE;
                    }
                    throw exc;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("warning: could not delete " + root + ": " + e);
        }
    }

    /**
     * Turns the broker's own loggers (and zonky's) down to WARN when Log4j 2 is the logging
     * backend, so that the demo and the tests are not flooded by startup INFO lines. Client
     * loggers are left as configured, except the config dumps ({@code AbstractConfig}) and the
     * version banner ({@code AppInfoParser}) that every client prints too. Only loggers that
     * would log below WARN are changed. Set {@code -Dvigil.embedded.verbose=true} to keep them.
     */
    static void quietServerLogging() {
        if (Boolean.getBoolean("vigil.embedded.verbose")) {
            return;
        }
        try {
            for (String logger : QUIET_LOGGERS) {
                org.apache.logging.log4j.Logger l = org.apache.logging.log4j.LogManager.getLogger(logger);
                if (l.getLevel().isLessSpecificThan(org.apache.logging.log4j.Level.WARN)) {
                    org.apache.logging.log4j.core.config.Configurator.setLevel(
                            logger, org.apache.logging.log4j.Level.WARN);
                }
            }
        } catch (LinkageError | RuntimeException e) {
            // Log4j 2 core is not the backend: leave logging as it is.
        }
    }

    private static final List<String> QUIET_LOGGERS = List.of(
            "kafka",
            "state.change.logger",
            "org.apache.kafka.server",
            "org.apache.kafka.controller",
            "org.apache.kafka.raft",
            "org.apache.kafka.metadata",
            "org.apache.kafka.image",
            "org.apache.kafka.storage",
            "org.apache.kafka.snapshot",
            "org.apache.kafka.coordinator",
            "org.apache.kafka.network",
            "org.apache.kafka.security",
            "org.apache.kafka.queue",
            "org.apache.kafka.common.network",
            "org.apache.kafka.common.metrics",
            // The multi-hundred-line "... values:" dumps of every broker and client config.
            "org.apache.kafka.common.config.AbstractConfig",
            "org.apache.kafka.common.utils.AppInfoParser",
            "io.zonky.test.db.postgres");
}
