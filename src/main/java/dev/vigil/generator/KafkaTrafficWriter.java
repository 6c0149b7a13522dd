package dev.vigil.generator;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Writes generated records to Kafka: inference and bad records to the inference topic, feedback
 * events to the feedback topic ({@link Options#feedbackTopic}). Optionally paced so that the
 * simulated duration is spread over a wall-clock duration (e.g. 6 simulated hours in 60 s); a
 * generator's clean history before the scenario is sent as fast as possible. Pacing only delays
 * sends; payloads and event times are never changed.
 *
 * <pre>
 * try (KafkaTrafficWriter writer = new KafkaTrafficWriter("localhost:9092", "inference-logs",
 *         KafkaTrafficWriter.Options.defaults().wallTime(Duration.ofSeconds(60)))) {
 *     GenerationStats stats = writer.write(new TrafficGenerator(config, scenario),
 *             p -&gt; System.err.println(p.recordsSent() + " sent"));
 * }
 * </pre>
 */
public final class KafkaTrafficWriter implements AutoCloseable {

    /** The topic of the feedback contract. */
    public static final String DEFAULT_FEEDBACK_TOPIC = "feedback";

    /** What to use as the Kafka record key. The job ignores keys; they only affect partitioning. */
    public enum KeyMode {
        /** No key: records spread over partitions in batches (the default). */
        NONE,
        /** The model name: per-model order is kept within a partition. */
        MODEL,
        /** The request id. */
        REQUEST_ID
    }

    /** What to use as the Kafka record timestamp. The job reads event time from the payload. */
    public enum TimestampMode {
        /** Let the producer stamp the send time (the default; safe with broker timestamp limits). */
        WALL_CLOCK,
        /** The simulated event time (brokers may reject times far in the past or future). */
        EVENT_TIME
    }

    /** Called with the progress of a write, at most once per progress interval, and once at the end. */
    @FunctionalInterface
    public interface ProgressListener {
        void onProgress(Progress progress);
    }

    /**
     * The progress of a write.
     *
     * @param recordsSent records handed to the producer so far
     * @param simulatedTimeMillis the latest event time sent so far
     * @param simulatedStartMillis the start of the simulated range
     * @param simulatedEndMillis the end of the simulated range
     * @param wallElapsed wall time since the write started
     * @param done whether this is the final report
     */
    public record Progress(long recordsSent, long simulatedTimeMillis, long simulatedStartMillis,
            long simulatedEndMillis, Duration wallElapsed, boolean done) {

        /** How much of the simulated range has been sent, in [0, 1]. */
        public double fraction() {
            if (done) {
                return 1.0;
            }
            long span = simulatedEndMillis - simulatedStartMillis;
            return span <= 0 ? 1.0 : Math.max(0, Math.min(1, (simulatedTimeMillis - simulatedStartMillis) / (double) span));
        }
    }

    /** Producer and pacing settings. */
    public static final class Options {
        private String compression = "lz4";
        private int lingerMs = 20;
        private int batchSizeBytes = 256 * 1024;
        private KeyMode keyMode = KeyMode.NONE;
        private TimestampMode timestampMode = TimestampMode.WALL_CLOCK;
        private Duration wallTime;
        private Duration progressInterval = Duration.ofSeconds(1);
        private String clientId = "vigil-generator";
        private String feedbackTopic = DEFAULT_FEEDBACK_TOPIC;
        private final Properties producerOverrides = new Properties();

        public static Options defaults() {
            return new Options();
        }

        /** {@code lz4} (default), {@code none}, {@code snappy}, {@code zstd} or {@code gzip}. */
        public Options compression(String compression) {
            this.compression = Objects.requireNonNull(compression);
            return this;
        }

        public Options lingerMs(int lingerMs) {
            this.lingerMs = lingerMs;
            return this;
        }

        public Options batchSizeBytes(int batchSizeBytes) {
            this.batchSizeBytes = batchSizeBytes;
            return this;
        }

        public Options keyMode(KeyMode keyMode) {
            this.keyMode = Objects.requireNonNull(keyMode);
            return this;
        }

        public Options timestampMode(TimestampMode timestampMode) {
            this.timestampMode = Objects.requireNonNull(timestampMode);
            return this;
        }

        /** Spread the simulated duration over this wall-clock duration; null or zero = as fast as possible. */
        public Options wallTime(Duration wallTime) {
            this.wallTime = wallTime;
            return this;
        }

        /** How often the progress listener is called (default 1 s). */
        public Options progressInterval(Duration interval) {
            this.progressInterval = Objects.requireNonNull(interval);
            return this;
        }

        /** The topic feedback records go to (default {@value #DEFAULT_FEEDBACK_TOPIC}); null drops them. */
        public Options feedbackTopic(String feedbackTopic) {
            this.feedbackTopic = feedbackTopic;
            return this;
        }

        public String feedbackTopic() {
            return feedbackTopic;
        }

        public Options clientId(String clientId) {
            this.clientId = Objects.requireNonNull(clientId);
            return this;
        }

        /** An extra producer property (e.g. security settings); applied last. */
        public Options producerProperty(String key, String value) {
            producerOverrides.setProperty(key, value);
            return this;
        }

        public Duration wallTime() {
            return wallTime;
        }

        public KeyMode keyMode() {
            return keyMode;
        }

        public TimestampMode timestampMode() {
            return timestampMode;
        }
    }

    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final Options options;
    private final AtomicBoolean cancelled = new AtomicBoolean();
    private final AtomicReference<Exception> failure = new AtomicReference<>();
    private final AtomicLong acked = new AtomicLong();
    private volatile long sent;

    /** Creates a producer for {@code bootstrapServers} (see {@link #producerConfig}). */
    public KafkaTrafficWriter(String bootstrapServers, String topic, Options options) {
        this(new KafkaProducer<>(producerConfig(bootstrapServers, options)), topic, options);
    }

    /** Uses the given producer (closed by {@link #close()}); for tests and custom setups. */
    public KafkaTrafficWriter(Producer<byte[], byte[]> producer, String topic, Options options) {
        this.producer = Objects.requireNonNull(producer);
        this.topic = Objects.requireNonNull(topic);
        this.options = options == null ? Options.defaults() : options;
    }

    /** The producer configuration: acks=all, idempotence, linger, large batches, compression. */
    public static Properties producerConfig(String bootstrapServers, Options options) {
        Options o = options == null ? Options.defaults() : options;
        Properties p = new Properties();
        p.setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.setProperty(ProducerConfig.CLIENT_ID_CONFIG, o.clientId);
        p.setProperty(ProducerConfig.ACKS_CONFIG, "all");
        p.setProperty(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.setProperty(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(o.lingerMs));
        p.setProperty(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(o.batchSizeBytes));
        p.setProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG, o.compression);
        p.setProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, Integer.toString(4 * 1024 * 1024));
        p.setProperty(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.setProperty(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        p.putAll(o.producerOverrides);
        return p;
    }

    /**
     * Sends every remaining record of the generator, then flushes. The wall time is spread over
     * the scenario; records of the history before it are sent as fast as possible.
     *
     * @param listener progress callback, or null
     * @return the generator's statistics of what was sent
     * @throws KafkaException if a send failed
     * @throws InterruptedException if interrupted while pacing
     */
    public GenerationStats write(TrafficGenerator generator, ProgressListener listener) throws InterruptedException {
        write(generator, generator.scenarioStartMillis(), generator.simulatedEndMillis(), listener);
        return generator.stats();
    }

    /**
     * Sends records covering the simulated range [simStartMillis, simEndMillis), then flushes.
     * Records before {@code simStartMillis} are sent without pacing.
     *
     * @return the number of records sent (feedback records without a feedback topic are not sent)
     */
    public long write(Iterator<GeneratedRecord> records, long simStartMillis, long simEndMillis,
            ProgressListener listener) throws InterruptedException {
        long wallStart = System.nanoTime();
        Duration wall = options.wallTime;
        boolean paced = wall != null && !wall.isZero() && !wall.isNegative() && simEndMillis > simStartMillis;
        double nanosPerSimMilli = paced ? wall.toNanos() / (double) (simEndMillis - simStartMillis) : 0;
        long progressNanos = Math.max(1, options.progressInterval.toNanos());
        long nextProgress = wallStart + progressNanos;
        long simReached = Long.MIN_VALUE;
        long paceOrigin = 0;
        boolean pacing = false;
        long sentHere = 0;
        while (!cancelled.get() && records.hasNext()) {
            GeneratedRecord r = records.next();
            if (r.eventTimeMillis() > simReached) {
                simReached = r.eventTimeMillis();
            }
            if (paced && !pacing && simReached >= simStartMillis) {
                // The wall time covers [simStart, simEnd): the clock starts with its first record.
                pacing = true;
                paceOrigin = System.nanoTime();
            }
            if (pacing) {
                long due = paceOrigin + (long) ((simReached - simStartMillis) * nanosPerSimMilli);
                while (true) {
                    long now = System.nanoTime();
                    if (due - now <= 500_000L || cancelled.get()) {
                        break;
                    }
                    if (listener != null && now >= nextProgress) {
                        listener.onProgress(new Progress(sentHere, reached(simReached, simStartMillis), simStartMillis, simEndMillis,
                                Duration.ofNanos(now - wallStart), false));
                        nextProgress = now + progressNanos;
                    }
                    LockSupport.parkNanos(Math.min(due - now, Math.min(progressNanos, 100_000_000L)));
                    if (Thread.interrupted()) {
                        throw new InterruptedException("interrupted while pacing");
                    }
                }
            }
            checkFailure();
            if (r.feedback() && options.feedbackTopic == null) {
                continue;
            }
            producer.send(toProducerRecord(r), (metadata, e) -> {
                if (e != null) {
                    failure.compareAndSet(null, e);
                } else {
                    acked.incrementAndGet();
                }
            });
            sentHere++;
            sent++;
            if (listener != null && (sentHere & 255) == 0) {
                long now = System.nanoTime();
                if (now >= nextProgress) {
                    listener.onProgress(new Progress(sentHere, reached(simReached, simStartMillis), simStartMillis, simEndMillis,
                            Duration.ofNanos(now - wallStart), false));
                    nextProgress = now + progressNanos;
                }
            }
        }
        producer.flush();
        checkFailure();
        if (listener != null) {
            listener.onProgress(new Progress(sentHere, reached(simReached, simStartMillis), simStartMillis, simEndMillis,
                    Duration.ofNanos(System.nanoTime() - wallStart), !cancelled.get()));
        }
        return sentHere;
    }

    /** The latest event time sent, or the start of the range before the first record. */
    private static long reached(long simReached, long simStartMillis) {
        return simReached == Long.MIN_VALUE ? simStartMillis : simReached;
    }

    private ProducerRecord<byte[], byte[]> toProducerRecord(GeneratedRecord r) {
        byte[] key = switch (options.keyMode) {
            case NONE -> null;
            case MODEL -> r.model() == null ? null : r.model().getBytes(StandardCharsets.UTF_8);
            case REQUEST_ID -> r.requestId() == null ? null : r.requestId().getBytes(StandardCharsets.UTF_8);
        };
        Long timestamp = options.timestampMode == TimestampMode.EVENT_TIME ? r.eventTimeMillis() : null;
        return new ProducerRecord<>(r.feedback() ? options.feedbackTopic : topic, null, timestamp, key, r.payload());
    }

    private void checkFailure() {
        Exception e = failure.get();
        if (e != null) {
            throw new KafkaException("writing to topic " + topic + " failed: " + e.getMessage(), e);
        }
    }

    /** Stops a running {@link #write} (from another thread) after the current record. */
    public void cancel() {
        cancelled.set(true);
    }

    public boolean isCancelled() {
        return cancelled.get();
    }

    /** Records handed to the producer by this writer. */
    public long recordsSent() {
        return sent;
    }

    /** Records the broker has acknowledged. */
    public long recordsAcknowledged() {
        return acked.get();
    }

    public String topic() {
        return topic;
    }

    /** Flushes and closes the producer. */
    @Override
    public void close() {
        producer.close(Duration.ofSeconds(30));
    }
}
