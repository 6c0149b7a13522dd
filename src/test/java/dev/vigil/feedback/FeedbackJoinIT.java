package dev.vigil.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.events.FeedbackEvent;
import dev.vigil.events.ParserLimits;
import dev.vigil.pipeline.JobConfig;
import dev.vigil.pipeline.VigilJob;
import dev.vigil.pipeline.WatermarkSettings;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.store.JdbcSettings;
import dev.vigil.testing.SharedServices;
import dev.vigil.testing.StoredProfiles;
import dev.vigil.testing.TestDatabase;
import dev.vigil.testing.TestJobs;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production job with real Kafka and PostgreSQL: inference events and feedback (some stamped
 * before their predictions, some after the ttl, duplicates, unknown requests, bad records) on two
 * topics. Bad feedback lands in dead_letters with the feedback topic; every joinable feedback is
 * joined exactly once, and nothing else is.
 */
class FeedbackJoinIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String SPEC_TEXT = """
            version: 1
            models:
              - name: scorer
                task: binary-classification
                segments: [{name: country, values: [DE, FR]}]
                features: [{name: amount, type: numeric}]
                feedback: {ttl: 1h, sample-rate: 0.5}
              - name: ranker
                task: ranking
                features: [{name: position, type: numeric}]
            """;
    static final long TTL = 3_600_000;

    @TempDir
    Path dir;

    record Feedback(String requestId, String model, long time, String action, String label, boolean joinable) {}

    @Test
    void everyFeedbackIsJoinedOnceAndBadFeedbackIsDeadLettered() throws Exception {
        Path specFile = Files.writeString(dir.resolve("monitor-spec.yaml"), SPEC_TEXT);
        MonitorSpec spec = MonitorSpecLoader.load(specFile);
        String inferenceTopic = SharedServices.newTopic("predictions", 2);
        String feedbackTopic = SharedServices.newTopic("feedback", 2);
        TestDatabase db = SharedServices.newDatabase("feedback_join");
        JdbcSettings store = TestJobs.migrated(db);

        long start = (System.currentTimeMillis() - 3 * TTL) / 60_000 * 60_000;
        List<ProducerRecord<byte[], byte[]>> predictions = new ArrayList<>();
        Map<String, Long> predictionTimes = new HashMap<>();
        for (int i = 0; i < 300; i++) {
            String id = "req-" + i;
            long t = start + i * 2_000L;
            predictionTimes.put(id, t);
            predictions.add(record(inferenceTopic, id, """
                    {"model":"scorer","model_version":"1.0","timestamp":%d,"request_id":"%s","status":"ok",\
                    "segments":{"country":"%s"},"features":{"amount":%d},"prediction":{"score":0.%02d,"label":"%s"}}"""
                    .formatted(t, id, i % 3 == 0 ? "FR" : "DE", i, i % 100, i % 7 == 0 ? "fraud" : "legit")));
        }
        for (int i = 0; i < 20; i++) { // a model without a feedback section: not joined
            predictions.add(record(inferenceTopic, "rank-" + i, """
                    {"model":"ranker","model_version":"1.0","timestamp":%d,"request_id":"rank-%d","status":"ok"}"""
                    .formatted(start + i * 1_000L, i)));
        }

        List<Feedback> feedback = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            String id = "req-" + i;
            long p = predictionTimes.get(id);
            if (i % 2 == 0) feedback.add(new Feedback(id, "scorer", p + 5_000, FeedbackEvent.ACTIONS.get(i % 4), null, true));
            if (i % 3 == 0) feedback.add(new Feedback(id, "scorer", p + 600_000, null, i % 7 == 0 ? "fraud" : "legit", true));
            if (i % 5 == 0) feedback.add(new Feedback(id, "scorer", p - 30_000, null, "early", true)); // stamped before its prediction
            if (i % 6 == 0) feedback.add(new Feedback(id, "scorer", p + 700_000, FeedbackEvent.IGNORED, "second", false)); // duplicates
            if (i % 11 == 0) feedback.add(new Feedback(id, "scorer", p + TTL + 60_000, FeedbackEvent.ACCEPTED, null, false)); // after ttl
        }
        for (int i = 0; i < 30; i++) feedback.add(new Feedback("never-" + i, "scorer", start + i, null, "legit", false));
        for (int i = 0; i < 5; i++) feedback.add(new Feedback("rank-" + i, "ranker", start + 10_000, FeedbackEvent.ACCEPTED, null, false));

        List<ProducerRecord<byte[], byte[]>> feedbackRecords = new ArrayList<>();
        for (Feedback f : feedback) {
            feedbackRecords.add(record(feedbackTopic, f.requestId(), "{\"request_id\":\"%s\",\"model\":\"%s\",\"timestamp\":%d%s%s}"
                    .formatted(f.requestId(), f.model(), f.time(),
                            f.action() == null ? "" : ",\"action\":\"" + f.action() + "\"",
                            f.label() == null ? "" : ",\"label\":\"" + f.label() + "\"")));
        }
        Map<String, String> bad = new TreeMap<>(Map.of(
                "empty_feedback", "{\"request_id\":\"req-1\",\"model\":\"scorer\",\"timestamp\":" + start + "}",
                "malformed_json", "{\"request_id\":\"req-1\",",
                "wrong_type", "{\"request_id\":\"req-1\",\"model\":\"scorer\",\"timestamp\":" + start + ",\"action\":\"approved\"}",
                "unknown_model", "{\"request_id\":\"req-1\",\"model\":\"nobody\",\"timestamp\":" + start + ",\"label\":\"x\"}",
                "missing_field", "{\"model\":\"scorer\",\"timestamp\":" + start + ",\"label\":\"x\"}"));
        bad.values().forEach(json -> feedbackRecords.add(feedbackRecords.size() / 2, record(feedbackTopic, "bad", json)));
        // Feedback first: much of it is in Kafka before any prediction.
        produce(feedbackRecords);
        produce(predictions);

        JobConfig config = new JobConfig(specFile, SharedServices.kafka().bootstrapServers(), inferenceTopic, feedbackTopic, null, null,
                "vigil-test-" + feedbackTopic, JobConfig.StartingOffsets.EARLIEST, true,
                new WatermarkSettings(Duration.ofSeconds(10), Duration.ofSeconds(5)), ParserLimits.DEFAULTS, store,
                Duration.ofSeconds(1), 2).validate();
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        DataStream<Outcome> outcomes = VigilJob.define(env, config, spec);
        List<Outcome> joined = new ArrayList<>();
        try (CloseableIterator<Outcome> it = outcomes.executeAndCollect("feedback join IT")) {
            it.forEachRemaining(joined::add);
        }

        // Expected, computed from the inputs: sampled scorer requests; per request the first joinable action and label.
        Set<String> sampled = predictionTimes.keySet().stream()
                .filter(id -> FeedbackSampling.sampled(id, 0.5)).collect(Collectors.toSet());
        Map<String, Outcome> expected = new TreeMap<>();
        for (String id : sampled) expected.put(id + " prediction", null);
        Set<String> seenAction = new HashSet<>();
        Set<String> seenLabel = new HashSet<>();
        for (Feedback f : feedback) { // in the order produced: one request's feedback shares a partition
            if (!f.model().equals("scorer") || !sampled.contains(f.requestId())) continue;
            boolean inTtl = Math.abs(f.time() - predictionTimes.get(f.requestId())) <= TTL;
            if (f.action() != null && inTtl && seenAction.add(f.requestId())) expected.put(f.requestId() + " action " + f.action(), null);
            if (f.label() != null && inTtl && seenLabel.add(f.requestId())) expected.put(f.requestId() + " label " + f.label(), null);
        }
        List<String> actual = joined.stream()
                .map(o -> o.requestId + " " + o.type + (o.action != null ? " " + o.action : "") + (o.trueLabel != null ? " " + o.trueLabel : ""))
                .sorted().toList();
        assertThat(actual).as("each joinable feedback exactly once").doesNotHaveDuplicates();
        assertThat(actual).containsExactlyInAnyOrderElementsOf(expected.keySet());
        assertThat(sampled.size()).isBetween(120, 180);
        assertThat(joined.stream().filter(o -> o.type.equals(Outcome.LABEL)).map(o -> o.trueLabel))
                .as("the first label counts: 'early' and 'second' never follow an earlier joined label").isNotEmpty();
        for (Outcome o : joined) {
            assertThat(o.model).isEqualTo("scorer");
            assertThat(o.modelVersion).isEqualTo("1.0");
            assertThat(o.predictionTime).isEqualTo(predictionTimes.get(o.requestId));
            int i = Integer.parseInt(o.requestId.substring(4));
            assertThat(o.segmentValues).containsExactly(i % 3 == 0 ? "FR" : "DE");
            assertThat(o.score).isEqualTo(Double.parseDouble("0.%02d".formatted(i % 100)));
            assertThat(o.predictedLabel).isEqualTo(i % 7 == 0 ? "fraud" : "legit");
        }

        List<Map<String, Object>> deadLetters = StoredProfiles.query(db.dataSource(), "SELECT topic, reason, model FROM dead_letters");
        assertThat(deadLetters).allSatisfy(r -> assertThat(r.get("topic")).isEqualTo(feedbackTopic));
        assertThat(deadLetters.stream().map(r -> (String) r.get("reason")).sorted().toList()).isEqualTo(List.copyOf(bad.keySet()));
    }

    static ProducerRecord<byte[], byte[]> record(String topic, String key, String json) {
        return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), json.getBytes(StandardCharsets.UTF_8));
    }

    /** Keyed by request id: all records of one request go to one partition, in order. */
    static void produce(List<ProducerRecord<byte[], byte[]>> records) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, SharedServices.kafka().bootstrapServers());
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer())) {
            records.forEach(producer::send);
            producer.flush();
        }
    }
}
