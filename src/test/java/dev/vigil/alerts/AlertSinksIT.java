package dev.vigil.alerts;

import static dev.vigil.alerts.Severity.CRITICAL;
import static dev.vigil.alerts.Severity.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alert events land in the alerts table (upserted, never moved back in time) and on the alerts topic (JSON). */
class AlertSinksIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_794_960_000_000L; // 2026-11-18T00:00:00Z
    private static final long MIN = 60_000;

    @Test
    void eventsAreUpsertedIntoTheTableAndPublishedOnTheTopic() throws Exception {
        String topic = SharedServices.newTopic("alerts", 2);
        TestDatabase db = SharedServices.newDatabase("alert_sinks");
        JdbcSettings store = TestJobs.migrated(db);

        AlertEvent opened = event("amount", 1, 3, WARNING, AlertEvent.CHANGE_OPENED);
        AlertEvent escalated = event("amount", 1, 4, CRITICAL, AlertEvent.CHANGE_ESCALATED);
        AlertEvent resolved = event("amount", 1, 9, CRITICAL, AlertEvent.CHANGE_RESOLVED);
        AlertEvent errors = event("", 2, 4, CRITICAL, AlertEvent.CHANGE_OPENED);
        errors.kind = "error_rate";
        errors.alertId = Evaluation.alertId(errors.key(), errors.openedAt);
        errors.score = Double.NaN;
        errors.threshold = null;
        // A replay of an older event after the newer ones (at-least-once): must not reopen the alert.
        AlertEvent replayed = event("amount", 1, 3, WARNING, AlertEvent.CHANGE_OPENED);
        List<AlertEvent> events = List.of(opened, escalated, errors, resolved, replayed);

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<AlertEvent> stream = env.fromData(AlertEvent.class, events.toArray(AlertEvent[]::new));
        AlertSinks.toPostgres(stream, store);
        AlertSinks.toKafka(stream, SharedServices.kafka().bootstrapServers(), topic);
        env.execute("alert sinks IT");

        Map<String, Map<String, Object>> rows = rows(db);
        assertThat(rows).containsOnlyKeys(opened.alertId, errors.alertId);
        Map<String, Object> amount = rows.get(opened.alertId);
        assertThat(amount).containsEntry("model", "fraud-scorer").containsEntry("model_version", "3")
                .containsEntry("segment", "country=DE").containsEntry("feature", "amount").containsEntry("kind", "drift_psi")
                .containsEntry("severity", CRITICAL).containsEntry("status", AlertEvent.RESOLVED)
                .containsEntry("opened_at", at(1)).containsEntry("fired_at", at(3)).containsEntry("updated_at", at(9)).containsEntry("resolved_at", at(9))
                .containsEntry("score", resolved.score).containsEntry("threshold", 0.25)
                .containsEntry("explanation", resolved.explanation);
        Map<String, Object> error = rows.get(errors.alertId);
        assertThat(error).containsEntry("feature", "").containsEntry("status", AlertEvent.OPEN)
                .containsEntry("resolved_at", null).containsEntry("score", null).containsEntry("threshold", null);

        List<ConsumerRecord<byte[], byte[]>> messages = readAll(topic, events.size());
        assertThat(messages).hasSize(events.size());
        Map<String, List<JsonNode>> byKey = new LinkedHashMap<>();
        for (ConsumerRecord<byte[], byte[]> m : messages) {
            JsonNode json = JSON.readTree(m.value());
            String key = new String(m.key(), StandardCharsets.UTF_8);
            assertThat(json.get("alert_id").asText()).isEqualTo(key);
            byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(json);
        }
        // One alert's events stay in order: they share a key, hence a partition.
        assertThat(byKey.get(opened.alertId)).extracting(j -> j.get("change").asText())
                .containsExactly("opened", "escalated", "resolved", "opened");
        JsonNode errorMessage = byKey.get(errors.alertId).get(0);
        List<String> fields = new ArrayList<>();
        errorMessage.fieldNames().forEachRemaining(fields::add);
        List<String> expectedFields = new ArrayList<>(List.of(AlertSinks.COLUMNS));
        expectedFields.add("change");
        assertThat(fields).isEqualTo(expectedFields);
        assertThat(errorMessage.get("feature").asText()).isEmpty();
        assertThat(errorMessage.get("opened_at").asText()).isEqualTo("2026-11-18T00:02:00Z");
        assertThat(errorMessage.get("resolved_at").isNull()).isTrue();
        assertThat(errorMessage.get("score").isNull()).isTrue();
    }

    @Test
    void evaluationsBecomeStoredAlertsThroughTheLifecycle() throws Exception {
        String topic = SharedServices.newTopic("alerts-lifecycle", 1);
        TestDatabase db = SharedServices.newDatabase("alert_lifecycle");
        JdbcSettings store = TestJobs.migrated(db);

        List<Evaluation> evaluations = new ArrayList<>();
        String[] amount = {null, WARNING, WARNING, WARNING, CRITICAL, null, null, null, WARNING, WARNING, WARNING};
        String[] country = {WARNING, null, WARNING, null, WARNING, null, WARNING, null, WARNING, null, WARNING};
        for (int i = 0; i < amount.length; i++) {
            evaluations.add(new Evaluation("fraud-scorer", "3", "all", "amount", "drift_psi", at(i))
                    .result(amount[i], amount[i] == null ? 0.02 : 0.3, 0.2, "PSI of amount at minute " + i + "."));
            evaluations.add(new Evaluation("fraud-scorer", "3", "all", "country", "drift_psi", at(i))
                    .result(country[i], 0.3, 0.2, "PSI of country at minute " + i + "."));
        }
        // Out of order and with a replay, within the watermark's bound.
        java.util.Collections.swap(evaluations, 2, 6);
        evaluations.add(7, evaluations.get(7));

        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Evaluation> input = env.fromData(Evaluation.class, evaluations.toArray(Evaluation[]::new))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<Evaluation>forBoundedOutOfOrderness(Duration.ofMinutes(5))
                        .withTimestampAssigner((e, ts) -> e.evaluatedAt));
        var alerts = AlertLifecycle.apply(input);
        AlertSinks.toPostgres(alerts, store);
        AlertSinks.toKafka(alerts, SharedServices.kafka().bootstrapServers(), topic);
        env.execute("alert lifecycle IT");

        Map<String, Map<String, Object>> rows = rows(db);
        String key = Evaluation.key("fraud-scorer", "3", "all", "amount", "drift_psi");
        String first = Evaluation.alertId(key, at(1));
        String second = Evaluation.alertId(key, at(8));
        assertThat(rows).containsOnlyKeys(first, second);
        assertThat(rows.get(first)).containsEntry("status", "resolved").containsEntry("severity", CRITICAL)
                .containsEntry("opened_at", at(1)).containsEntry("fired_at", at(3)).containsEntry("resolved_at", at(7));
        assertThat(rows.get(second)).containsEntry("status", "open").containsEntry("severity", WARNING)
                .containsEntry("opened_at", at(8)).containsEntry("fired_at", at(10)).containsEntry("updated_at", at(10)).containsEntry("resolved_at", null);

        Map<String, List<String>> changes = readAll(topic, 4).stream().map(r -> readTree(r.value()))
                .collect(Collectors.groupingBy(j -> j.get("alert_id").asText(),
                        Collectors.mapping(j -> j.get("change").asText(), Collectors.toList())));
        assertThat(changes).containsOnly(
                Map.entry(first, List.of("opened", "escalated", "resolved")), Map.entry(second, List.of("opened")));
    }

    private static AlertEvent event(String feature, long openedMinute, long minute, String severity, String change) {
        return event(feature, openedMinute, openedMinute + 2, minute, severity, change);
    }

    private static AlertEvent event(String feature, long openedMinute, long firedMinute, long minute, String severity,
                                    String change) {
        AlertEvent a = new AlertEvent();
        a.model = "fraud-scorer";
        a.modelVersion = "3";
        a.segment = "country=DE";
        a.feature = feature;
        a.kind = "drift_psi";
        a.alertId = Evaluation.alertId(a.key(), at(openedMinute));
        a.severity = severity;
        boolean resolved = change.equals(AlertEvent.CHANGE_RESOLVED);
        a.status = resolved ? AlertEvent.RESOLVED : AlertEvent.OPEN;
        a.openedAt = at(openedMinute);
        a.firedAt = at(firedMinute);
        a.updatedAt = at(minute);
        a.resolvedAt = resolved ? at(minute) : null;
        a.score = resolved ? 0.03 : 0.3;
        a.threshold = 0.25;
        a.explanation = change + " at minute " + minute + ": PSI of " + feature + " is " + a.score + ".";
        a.change = change;
        return a;
    }

    private static long at(long minute) {
        return T0 + minute * MIN;
    }

    private static Map<String, Map<String, Object>> rows(TestDatabase db) throws Exception {
        return StoredProfiles.query(db.dataSource(), "SELECT * FROM alerts").stream()
                .collect(Collectors.toMap(r -> (String) r.get("alert_id"), Function.identity()));
    }

    private static JsonNode readTree(byte[] value) {
        try {
            return JSON.readTree(value);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "reader-" + topic);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            long deadline = System.currentTimeMillis() + 20_000;
            // Read until the expected count arrived, then a little longer to catch duplicates.
            long quietUntil = Long.MAX_VALUE;
            while (System.currentTimeMillis() < Math.min(deadline, quietUntil)) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) out.add(r);
                if (out.size() >= expected && quietUntil == Long.MAX_VALUE) quietUntil = System.currentTimeMillis() + 1_000;
            }
        }
        return out;
    }
}
