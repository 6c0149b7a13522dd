package dev.vigil.pipeline;

import static dev.vigil.testing.ProfileAssertions.assertStoredProfilesMatch;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.ExpectedProfiles;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import dev.vigil.testing.TestTraffic;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Each kind of bad record among good ones: every bad one is a dead letter with its reason, the good results are untouched. */
class DeadLetterIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Path SPEC_FILE = TestJobs.resource("/it/monitor-spec.yaml");
    private static final MonitorSpec SPEC = MonitorSpecLoader.load(SPEC_FILE);
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void badRecordsBecomeDeadLettersInTheTableAndOnTheTopicAndGoodResultsAreExact() throws Exception {
        String topic = SharedServices.newTopic("mixed", 2);
        String deadLetterTopic = SharedServices.newTopic("dead-letters", 1);
        TestDatabase db = SharedServices.newDatabase("dead_letters");
        JdbcSettings store = TestJobs.migrated(db);
        long now = System.currentTimeMillis();
        long start = (now - 30 * 60_000) / 300_000 * 300_000;
        List<TestTraffic.Event> good = TestTraffic.generate(2, start, 3_000, 300);

        String valid = new String(good.stream().filter(e -> e.model().equals("scorer") && !e.error()).findFirst().orElseThrow().json(), StandardCharsets.UTF_8);
        Map<String, byte[]> bad = new LinkedHashMap<>();
        bad.put("malformed_json", valid.substring(0, valid.length() / 2).getBytes(StandardCharsets.UTF_8));
        bad.put("malformed_json/array", "[1,2,3]".getBytes(StandardCharsets.UTF_8));
        bad.put("malformed_json/utf8", new byte[] {'{', '"', 'm', (byte) 0xC3, (byte) 0x28, '"', ':', '1', '}'});
        bad.put("malformed_json/nul", ("{\"model\":\"scorer\"\0}").getBytes(StandardCharsets.UTF_8));
        bad.put("missing_field", valid.replaceFirst("\"request_id\":\"[^\"]*\",", "").getBytes(StandardCharsets.UTF_8));
        bad.put("wrong_type", valid.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":true").getBytes(StandardCharsets.UTF_8));
        bad.put("wrong_type/latency", valid.replaceFirst("\"status\":\"ok\"", "\"status\":\"ok\",\"latency_ms\":\"fast\"").getBytes(StandardCharsets.UTF_8));
        bad.put("implausible_timestamp", valid.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":946684800000").getBytes(StandardCharsets.UTF_8));
        bad.put("implausible_timestamp/future", valid.replaceFirst("\"timestamp\":\\d+", "\"timestamp\":" + (now + 86_400_000L)).getBytes(StandardCharsets.UTF_8));
        bad.put("unknown_model", valid.replaceFirst("\"model\":\"\\w+\"", "\"model\":\"nobody\\u0000s-model\"").getBytes(StandardCharsets.UTF_8));
        bad.put("oversize", valid.replaceFirst("\"features\":\\{", "\"features\":{\"blob\":\"" + "x".repeat(70_000) + "\",").getBytes(StandardCharsets.UTF_8));

        // Bad records are interleaved with the good ones.
        List<byte[]> payloads = new ArrayList<>();
        List<byte[]> badPayloads = new ArrayList<>(bad.values());
        int every = good.size() / badPayloads.size();
        for (int i = 0; i < good.size(); i++) {
            payloads.add(good.get(i).json());
            if (i % every == every / 2 && i / every < badPayloads.size()) payloads.add(badPayloads.get(i / every));
        }
        TestJobs.produce(topic, 2, payloads);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        VigilJob.define(env, TestJobs.boundedJob(topic, deadLetterTopic, store, SPEC_FILE), SPEC);
        env.execute("dead letter IT");

        Map<String, Long> expectedReasons = bad.keySet().stream()
                .collect(Collectors.groupingBy(k -> k.split("/")[0], Collectors.counting()));
        List<Map<String, Object>> table = StoredProfiles.query(db.dataSource(), "SELECT * FROM dead_letters");
        assertThat(table.stream().collect(Collectors.groupingBy(r -> (String) r.get("reason"), Collectors.counting())))
                .isEqualTo(expectedReasons);
        for (Map<String, Object> row : table) {
            assertThat((String) row.get("detail")).isNotBlank();
            assertThat(row.get("topic")).isEqualTo(topic);
            assertThat((String) row.get("payload")).doesNotContain("\0");
            assertThat((Integer) row.get("payload_bytes")).isPositive();
        }
        Map<String, Object> oversize = table.stream().filter(r -> r.get("reason").equals("oversize")).findFirst().orElseThrow();
        assertThat(oversize.get("payload_truncated")).isEqualTo(true);
        assertThat((String) oversize.get("payload")).hasSizeLessThanOrEqualTo(4096);
        assertThat((Integer) oversize.get("payload_bytes")).isGreaterThan(70_000);
        Map<String, Object> missing = table.stream().filter(r -> r.get("reason").equals("missing_field")).findFirst().orElseThrow();
        assertThat((String) missing.get("detail")).contains("request_id");
        assertThat(missing.get("model")).isEqualTo("scorer");

        List<JsonNode> onTopic = readAll(deadLetterTopic, table.size());
        assertThat(onTopic.stream().collect(Collectors.groupingBy(n -> n.get("reason").asText(), Collectors.counting())))
                .isEqualTo(expectedReasons);

        assertStoredProfilesMatch(db.dataSource(), ExpectedProfiles.of(good, SPEC));
    }

    private static List<JsonNode> readAll(String topic, int expected) throws Exception {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<JsonNode> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            // Read until the expected count arrived, then a little longer to catch duplicates.
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) out.add(JSON.readTree(r.value()));
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) quietUntil = System.currentTimeMillis() + 1_000;
            }
        }
        return out;
    }
}
