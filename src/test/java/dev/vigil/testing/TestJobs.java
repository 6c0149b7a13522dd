package dev.vigil.testing;

import dev.vigil.events.ParserLimits;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.WatermarkSettings;
import dev.vigil.store.JdbcSettings;
import dev.vigil.store.MetricsStore;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Job configurations and Kafka input for integration tests on the shared embedded services. */
public final class TestJobs {
    private TestJobs() {}

    public static Path resource(String name) {
        try {
            return Path.of(TestJobs.class.getResource(name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A migrated database's settings, flushing fast so tests see rows quickly. */
    public static JdbcSettings migrated(TestDatabase db) {
        JdbcSettings settings = new JdbcSettings(db.jdbcUrl(), db.user(), db.password(), 200, Duration.ofMillis(200), 3);
        MetricsStore.migrate(settings);
        return settings;
    }

    /** A job reading {@code topic} from the beginning up to the offsets that are latest when it starts. */
    public static JobConfig boundedJob(String topic, String deadLetterTopic, JdbcSettings db, Path spec) {
        return new JobConfig(spec, SharedServices.kafka().bootstrapServers(), topic, null, deadLetterTopic, null, "vigil-test-" + topic,
                JobConfig.StartingOffsets.EARLIEST, true, new WatermarkSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)),
                ParserLimits.DEFAULTS, db, Duration.ofSeconds(1), 2).validate();
    }

    /** Writes the payloads in order, spread over the topic's partitions by index. */
    public static void produce(String topic, int partitions, List<byte[]> payloads) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < payloads.size(); i++) {
                producer.send(new ProducerRecord<>(topic, i % partitions, null, payloads.get(i)));
            }
            producer.flush();
        }
    }
}
