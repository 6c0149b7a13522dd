package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class KafkaTrafficWriterTest {

    private static MockProducer<byte[], byte[]> mockProducer() {
        return new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
    }

    @Test
    void writesEveryRecordUnchanged() throws Exception {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(5)).badRecordRate(0.01).build();
        List<GeneratedRecord> expected = TrafficGenerator.generateAll(config, Scenario.empty());
        MockProducer<byte[], byte[]> producer = mockProducer();
        List<KafkaTrafficWriter.Progress> progress = new ArrayList<>();
        GenerationStats stats;
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(producer, "inference-logs",
                KafkaTrafficWriter.Options.defaults())) {
            stats = writer.write(new TrafficGenerator(config, Scenario.empty()), progress::add);
            assertThat(writer.recordsSent()).isEqualTo(expected.size());
            assertThat(writer.recordsAcknowledged()).isEqualTo(expected.size());
        }
        assertThat(producer.closed()).isTrue();
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSameSizeAs(expected);
        assertThat(stats.records()).isEqualTo(expected.size());
        for (int i = 0; i < sent.size(); i++) {
            ProducerRecord<byte[], byte[]> r = sent.get(i);
            assertThat(r.topic()).isEqualTo("inference-logs");
            assertThat(r.key()).isNull();
            assertThat(r.timestamp()).isNull();
            assertThat(r.value()).isEqualTo(expected.get(i).payload());
        }
        assertThat(progress).isNotEmpty();
        KafkaTrafficWriter.Progress last = progress.get(progress.size() - 1);
        assertThat(last.done()).isTrue();
        assertThat(last.recordsSent()).isEqualTo(expected.size());
        assertThat(last.fraction()).isEqualTo(1.0);
    }

    @Test
    void feedbackGoesToTheFeedbackTopicInterleavedInGenerationOrder() throws Exception {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(20)).rateMultiplier(0.2).badRecordRate(0.01)
                .feedback(true).build();
        List<GeneratedRecord> expected = TrafficGenerator.generateAll(config, Scenario.empty());
        assertThat(expected).anyMatch(GeneratedRecord::feedback);
        MockProducer<byte[], byte[]> producer = mockProducer();
        GenerationStats stats;
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(producer, "inference-logs",
                KafkaTrafficWriter.Options.defaults().feedbackTopic("user-feedback")
                        .keyMode(KafkaTrafficWriter.KeyMode.REQUEST_ID))) {
            stats = writer.write(new TrafficGenerator(config, Scenario.empty()), null);
        }
        List<ProducerRecord<byte[], byte[]>> sent = producer.history();
        assertThat(sent).hasSameSizeAs(expected);
        long feedback = 0;
        for (int i = 0; i < sent.size(); i++) {
            GeneratedRecord g = expected.get(i);
            assertThat(sent.get(i).topic()).isEqualTo(g.feedback() ? "user-feedback" : "inference-logs");
            assertThat(sent.get(i).value()).isEqualTo(g.payload());
            if (g.feedback()) {
                feedback++;
                assertThat(new String(sent.get(i).key(), StandardCharsets.UTF_8)).isEqualTo(g.requestId());
            }
        }
        assertThat(stats.feedbackEvents()).isEqualTo(feedback);
        assertThat(stats.records()).isEqualTo(sent.size() - feedback);

        // without a feedback topic, feedback is generated but not sent
        MockProducer<byte[], byte[]> noFeedback = mockProducer();
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(noFeedback, "inference-logs",
                KafkaTrafficWriter.Options.defaults().feedbackTopic(null))) {
            assertThat(writer.write(new TrafficGenerator(config, Scenario.empty()), 
                    config.start().toEpochMilli(), config.end().toEpochMilli(), null)).isEqualTo(sent.size() - feedback);
        }
        assertThat(noFeedback.history()).hasSize((int) (sent.size() - feedback))
                .allMatch(r -> r.topic().equals("inference-logs"));
    }

    @Test
    void theWallTimeCoversTheScenarioWhileTheHistoryIsSentAtOnce() throws Exception {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(10)).history(Duration.ofHours(6))
                .rateMultiplier(0.02).build();
        List<KafkaTrafficWriter.Progress> progress = new ArrayList<>();
        long t0 = System.nanoTime();
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(mockProducer(), "t", KafkaTrafficWriter.Options.defaults()
                .wallTime(Duration.ofSeconds(2)).progressInterval(Duration.ofMillis(100)))) {
            writer.write(new TrafficGenerator(config, Scenario.empty()), progress::add);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        // paced over the whole 6h10m, the 10 minutes of scenario would take 3% of the 2 s
        assertThat(seconds).isGreaterThanOrEqualTo(1.9);
        long scenarioStart = config.start().toEpochMilli();
        // progress reports during the scenario are spread over the wall time
        List<KafkaTrafficWriter.Progress> scenario = progress.stream()
                .filter(p -> !p.done() && p.simulatedTimeMillis() >= scenarioStart).toList();
        assertThat(scenario).hasSizeGreaterThan(5);
        assertThat(scenario.get(scenario.size() - 1).wallElapsed().minus(scenario.get(0).wallElapsed()))
                .isGreaterThan(Duration.ofMillis(1200));
    }

    @Test
    void keysAndTimestampsFollowTheOptions() throws Exception {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(1)).badRecordRate(0.05).build();
        MockProducer<byte[], byte[]> producer = mockProducer();
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(producer, "t", KafkaTrafficWriter.Options.defaults()
                .keyMode(KafkaTrafficWriter.KeyMode.REQUEST_ID)
                .timestampMode(KafkaTrafficWriter.TimestampMode.EVENT_TIME))) {
            writer.write(new TrafficGenerator(config, Scenario.empty()), null);
        }
        List<GeneratedRecord> expected = TrafficGenerator.generateAll(config, Scenario.empty());
        for (int i = 0; i < expected.size(); i++) {
            ProducerRecord<byte[], byte[]> r = producer.history().get(i);
            GeneratedRecord g = expected.get(i);
            assertThat(r.timestamp()).isEqualTo(g.eventTimeMillis());
            assertThat(r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(g.requestId());
        }

        MockProducer<byte[], byte[]> byModel = mockProducer();
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(byModel, "t", KafkaTrafficWriter.Options.defaults()
                .keyMode(KafkaTrafficWriter.KeyMode.MODEL))) {
            writer.write(new TrafficGenerator(config, Scenario.empty()), null);
        }
        for (int i = 0; i < expected.size(); i++) {
            byte[] key = byModel.history().get(i).key();
            assertThat(key == null ? null : new String(key, StandardCharsets.UTF_8)).isEqualTo(expected.get(i).model());
        }
    }

    @Test
    void pacingSpreadsSimulatedTimeOverWallTimeWithoutChangingEventTimes() throws Exception {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(10)).build();
        MockProducer<byte[], byte[]> producer = mockProducer();
        List<KafkaTrafficWriter.Progress> progress = new ArrayList<>();
        long t0 = System.nanoTime();
        try (KafkaTrafficWriter writer = new KafkaTrafficWriter(producer, "t", KafkaTrafficWriter.Options.defaults()
                .wallTime(Duration.ofMillis(1500)).progressInterval(Duration.ofMillis(200)))) {
            writer.write(new TrafficGenerator(config, Scenario.empty()), progress::add);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(seconds).isBetween(1.3, 4.0);
        assertThat(progress.size()).isGreaterThanOrEqualTo(4);
        for (int i = 1; i < progress.size(); i++) {
            assertThat(progress.get(i).simulatedTimeMillis()).isGreaterThanOrEqualTo(progress.get(i - 1).simulatedTimeMillis());
            assertThat(progress.get(i).recordsSent()).isGreaterThanOrEqualTo(progress.get(i - 1).recordsSent());
        }
        // halfway through the wall time, about half the simulated range has been sent
        KafkaTrafficWriter.Progress mid = progress.stream()
                .filter(p -> p.wallElapsed().compareTo(Duration.ofMillis(700)) >= 0).findFirst().orElseThrow();
        assertThat(mid.fraction()).isBetween(0.3, 0.75);
        List<GeneratedRecord> expected = TrafficGenerator.generateAll(config, Scenario.empty());
        assertThat(producer.history()).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertThat(producer.history().get(i).value()).isEqualTo(expected.get(i).payload());
        }
    }

    @Test
    void cancelStopsAWrite() throws Exception {
        GeneratorConfig config = TestSupport.config(Duration.ofHours(1)).build();
        MockProducer<byte[], byte[]> producer = mockProducer();
        KafkaTrafficWriter writer = new KafkaTrafficWriter(producer, "t",
                KafkaTrafficWriter.Options.defaults().wallTime(Duration.ofSeconds(60)).progressInterval(Duration.ofMillis(50)));
        List<KafkaTrafficWriter.Progress> progress = new ArrayList<>();
        Thread canceller = new Thread(() -> {
            try {
                Thread.sleep(300);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            writer.cancel();
        });
        canceller.start();
        long t0 = System.nanoTime();
        writer.write(new TrafficGenerator(config, Scenario.empty()), progress::add);
        writer.close();
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(5.0);
        assertThat(writer.isCancelled()).isTrue();
        assertThat(progress.get(progress.size() - 1).done()).isFalse();
        assertThat(producer.history().size()).isBetween(1, 20_000);
    }

    @Test
    void aFailedSendFailsTheWrite() {
        MockProducer<byte[], byte[]> failing = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer()) {
            private int sends;

            @Override
            public synchronized Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
                if (++sends == 100) {
                    TimeoutException e = new TimeoutException("broker went away");
                    callback.onCompletion(null, e);
                    return CompletableFuture.failedFuture(e);
                }
                return super.send(record, callback);
            }
        };
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(5)).build();
        KafkaTrafficWriter writer = new KafkaTrafficWriter(failing, "t", KafkaTrafficWriter.Options.defaults());
        assertThatThrownBy(() -> writer.write(new TrafficGenerator(config, Scenario.empty()), null))
                .isInstanceOf(KafkaException.class)
                .hasMessageContaining("broker went away");
        assertThat(writer.recordsSent()).isEqualTo(100);
        writer.close();
    }

    @Test
    void producerConfigIsDurableAndBatched() {
        Properties p = KafkaTrafficWriter.producerConfig("broker:9092", KafkaTrafficWriter.Options.defaults()
                .producerProperty("security.protocol", "SSL"));
        assertThat(p.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG)).isEqualTo("broker:9092");
        assertThat(p.getProperty(ProducerConfig.ACKS_CONFIG)).isEqualTo("all");
        assertThat(p.getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("lz4");
        assertThat(Integer.parseInt(p.getProperty(ProducerConfig.LINGER_MS_CONFIG))).isPositive();
        assertThat(Integer.parseInt(p.getProperty(ProducerConfig.BATCH_SIZE_CONFIG))).isGreaterThan(16_384);
        assertThat(Integer.parseInt(p.getProperty(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))).isGreaterThan(200_000);
        assertThat(p.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(KafkaTrafficWriter.producerConfig("b:1", KafkaTrafficWriter.Options.defaults().compression("none"))
                .getProperty(ProducerConfig.COMPRESSION_TYPE_CONFIG)).isEqualTo("none");
    }
}
