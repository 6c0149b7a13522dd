package dev.vigil.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.testing.SharedServices;
import dev.vigil.testing.TestDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EmbeddedServicesIT {

    private static final int RECORDS = 1_000;

    @BeforeAll
    static void startServices() {
        SharedServices.startAll();
    }

    @Test
    void kafkaRoundTripsEveryRecordExactlyOnce() throws Exception {
        String topic = SharedServices.newTopic("round-trip", 3);
        // createTopic is idempotent.
        SharedServices.kafka().createTopic(topic, 3);
        String bootstrap = SharedServices.kafka().bootstrapServers();

        Map<String, Object> producerConfig = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5);
        try (KafkaProducer<String, String> producer =
                new KafkaProducer<>(producerConfig, new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(topic, "key-" + i, "value-" + i));
            }
            producer.flush();
        }

        Map<String, Object> consumerConfig = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, "it-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        Map<String, String> received = new HashMap<>();
        Map<Integer, List<Integer>> sequencePerPartition = new HashMap<>();
        int count = 0;
        try (KafkaConsumer<String, String> consumer =
                new KafkaConsumer<>(consumerConfig, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count < RECORDS && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                    count++;
                    received.put(r.key(), r.value());
                    sequencePerPartition
                            .computeIfAbsent(r.partition(), p -> new ArrayList<>())
                            .add(Integer.parseInt(r.key().substring("key-".length())));
                }
            }
            // Nothing beyond what was produced.
            count += consumer.poll(Duration.ofMillis(500)).count();
        }

        assertThat(count).isEqualTo(RECORDS);
        assertThat(received).hasSize(RECORDS);
        for (int i = 0; i < RECORDS; i++) {
            assertThat(received).containsEntry("key-" + i, "value-" + i);
        }
        // Keys spread over the 3 partitions, each partition in send order.
        assertThat(sequencePerPartition).hasSize(3);
        sequencePerPartition.values().forEach(seq -> assertThat(seq).isSorted());
    }

    @Test
    void kafkaCreatesTopicsWithTheRequestedPartitions() throws Exception {
        String topic = SharedServices.newTopic("partitions", 4);
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers()))) {
            var description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            assertThat(description.partitions()).hasSize(4);
        }
    }

    @Test
    void postgresStoresAndReturnsRows() throws Exception {
        TestDatabase db = SharedServices.newDatabase(EmbeddedServicesIT.class.getSimpleName());
        assertThat(db.jdbcUrl()).startsWith("jdbc:postgresql://").endsWith("/" + db.name());

        try (Connection c = db.dataSource().getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE metric (id INT PRIMARY KEY, name TEXT NOT NULL, value DOUBLE PRECISION)");
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO metric (id, name, value) VALUES (?, ?, ?)")) {
                for (int i = 0; i < 100; i++) {
                    ps.setInt(1, i);
                    ps.setString(2, "m" + i);
                    ps.setDouble(3, i * 0.5);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            List<String> rows = new ArrayList<>();
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT id, name, value FROM metric ORDER BY id")) {
                while (rs.next()) {
                    rows.add(rs.getInt(1) + "," + rs.getString(2) + "," + rs.getDouble(3));
                }
            }
            assertThat(rows).hasSize(100);
            assertThat(rows.get(0)).isEqualTo("0,m0,0.0");
            assertThat(rows.get(99)).isEqualTo("99,m99,49.5");
        }

        // A second fresh database does not see the first one's table.
        TestDatabase other = SharedServices.newDatabase(EmbeddedServicesIT.class.getSimpleName());
        assertThat(other.name()).isNotEqualTo(db.name());
        try (Connection c = java.sql.DriverManager.getConnection(other.jdbcUrl(), other.user(), other.password());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM information_schema.tables WHERE table_name = 'metric'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getInt(1)).isZero();
        }
    }

    @Test
    void postgresHasTheVigilDatabase() throws Exception {
        EmbeddedPostgres pg = SharedServices.postgres();
        assertThat(pg.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:" + pg.port() + "/vigil");
        assertThat(pg.user()).isEqualTo("postgres");
        assertThat(pg.psqlCommand()).contains("-p " + pg.port()).contains("vigil");
        try (Connection c = pg.dataSource().getConnection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT current_database()")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("vigil");
        }
        assertThat(pg.createDatabase("vigil")).isFalse();
    }
}
