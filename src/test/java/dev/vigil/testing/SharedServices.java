package dev.vigil.testing;

import dev.vigil.embedded.EmbeddedKafka;
import dev.vigil.embedded.EmbeddedPostgres;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded Kafka broker and one embedded PostgreSQL server per test JVM, started lazily on
 * first use, shared by all test classes and stopped by a JVM shutdown hook.
 *
 * <p>Tests must not share data through them: each test class takes its own topics from
 * {@link #newTopic(String, int)} and its own database from {@link #newDatabase(String)}.
 *
 * <pre>{@code
 * String topic = SharedServices.newTopic("events", 2);
 * TestDatabase db = SharedServices.newDatabase(MyIT.class.getSimpleName());
 * ... SharedServices.kafka().bootstrapServers() ... db.jdbcUrl() ...
 * }</pre>
 */
public final class SharedServices {

    private static final AtomicInteger TOPIC_COUNTER = new AtomicInteger();
    private static final AtomicInteger DATABASE_COUNTER = new AtomicInteger();

    private static final Object KAFKA_LOCK = new Object();
    private static final Object POSTGRES_LOCK = new Object();
    private static volatile EmbeddedKafka kafka;
    private static volatile EmbeddedPostgres postgres;
    private static volatile long kafkaStartMillis = -1;
    private static volatile long postgresStartMillis = -1;
    private static boolean hookRegistered;

    private SharedServices() {}

    /** The shared broker, started on first call. */
    public static EmbeddedKafka kafka() {
        EmbeddedKafka k = kafka;
        if (k != null) {
            return k;
        }
        synchronized (KAFKA_LOCK) {
            if (kafka == null) {
                long t0 = System.nanoTime();
                EmbeddedKafka started = EmbeddedKafka.start();
                kafkaStartMillis = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("[SharedServices] Kafka started at %s in %d ms%n",
                        started.bootstrapServers(), kafkaStartMillis);
                kafka = started;
                registerShutdownHook();
            }
            return kafka;
        }
    }

    /** The shared PostgreSQL server, started on first call. */
    public static EmbeddedPostgres postgres() {
        EmbeddedPostgres p = postgres;
        if (p != null) {
            return p;
        }
        synchronized (POSTGRES_LOCK) {
            if (postgres == null) {
                long t0 = System.nanoTime();
                EmbeddedPostgres started = EmbeddedPostgres.start();
                postgresStartMillis = (System.nanoTime() - t0) / 1_000_000;
                System.out.printf("[SharedServices] PostgreSQL started on port %d in %d ms%n",
                        started.port(), postgresStartMillis);
                postgres = started;
                registerShutdownHook();
            }
            return postgres;
        }
    }

    /** Starts both services in parallel (if not running yet) and waits for them. */
    public static void startAll() {
        CompletableFuture<EmbeddedPostgres> pg = CompletableFuture.supplyAsync(SharedServices::postgres);
        kafka();
        pg.join();
    }

    /** How long the broker took to start, in ms; -1 if not started. */
    public static long kafkaStartMillis() {
        return kafkaStartMillis;
    }

    /** How long PostgreSQL took to start, in ms; -1 if not started. */
    public static long postgresStartMillis() {
        return postgresStartMillis;
    }

    /**
     * Creates a topic with a name no other test in this JVM gets, e.g. {@code events-7}.
     *
     * @param prefix readable part of the name (anything outside [a-zA-Z0-9._-] becomes '_')
     * @return the topic name
     */
    public static String newTopic(String prefix, int partitions) {
        String name = sanitize(prefix, "[^a-zA-Z0-9._-]") + "-" + TOPIC_COUNTER.incrementAndGet();
        kafka().createTopic(name, partitions);
        return name;
    }

    /**
     * Creates a fresh empty database {@code vigil_test_<n>_<hint>} on the shared server.
     *
     * @param hint readable part of the name, e.g. the test class's simple name (may be empty)
     */
    public static TestDatabase newDatabase(String hint) {
        String suffix = sanitize(hint == null ? "" : hint.toLowerCase(Locale.ROOT), "[^a-z0-9_]");
        String name = "vigil_test_" + DATABASE_COUNTER.incrementAndGet() + (suffix.isEmpty() ? "" : "_" + suffix);
        if (name.length() > 63) {
            name = name.substring(0, 63);
        }
        EmbeddedPostgres pg = postgres();
        pg.createDatabase(name);
        return new TestDatabase(name, pg.jdbcUrl(name), pg.user(), pg.dataSource(name));
    }

    /** A fresh empty database {@code vigil_test_<n>}. */
    public static TestDatabase newDatabase() {
        return newDatabase("");
    }

    private static String sanitize(String s, String disallowed) {
        return s.replaceAll(disallowed, "_");
    }

    private static synchronized void registerShutdownHook() {
        if (hookRegistered) {
            return;
        }
        hookRegistered = true;
        Runtime.getRuntime().addShutdownHook(new Thread(SharedServices::stopAll, "vigil-shared-services-shutdown"));
    }

    private static void stopAll() {
        EmbeddedKafka k = kafka;
        if (k != null) {
            try {
                k.close();
            } catch (RuntimeException e) {
                System.err.println("[SharedServices] stopping Kafka failed: " + e);
            }
        }
        EmbeddedPostgres p = postgres;
        if (p != null) {
            try {
                p.close();
            } catch (RuntimeException e) {
                System.err.println("[SharedServices] stopping PostgreSQL failed: " + e);
            }
        }
    }
}
