package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class BadRecordTest {

    private static final double RATE = 0.01;
    private static List<GeneratedRecord> records;
    private static GenerationStats stats;

    @BeforeAll
    static void generate() {
        GeneratorConfig config = TestSupport.config(Duration.ofHours(3)).rateMultiplier(0.5).badRecordRate(RATE).build();
        TrafficGenerator g = new TrafficGenerator(config, Scenario.empty());
        records = g.stream().toList();
        stats = g.stats();
    }

    @Test
    void badRecordsAppearAtAboutTheConfiguredRateAndAreReportedExactly() {
        Map<BadRecordKind, Long> byKind = new EnumMap<>(BadRecordKind.class);
        Map<String, Map<String, Long>> byModel = new HashMap<>();
        long bad = 0;
        for (GeneratedRecord r : records) {
            if (!r.bad()) {
                assertThat(r.badKind()).isNull();
                continue;
            }
            bad++;
            BadRecordKind kind = BadRecordKind.fromReason(r.badKind());
            byKind.merge(kind, 1L, Long::sum);
            if (r.model() != null) {
                byModel.computeIfAbsent(r.model(), k -> new HashMap<>()).merge(r.badKind(), 1L, Long::sum);
            }
        }
        double share = bad / (double) records.size();
        assertThat(share).isBetween(RATE * 0.85, RATE * 1.15);
        assertThat(stats.badRecords()).isEqualTo(bad);
        assertThat(stats.records()).isEqualTo(records.size());
        assertThat(stats.records()).isEqualTo(stats.events() + stats.badRecords());
        for (BadRecordKind k : BadRecordKind.values()) {
            long n = byKind.getOrDefault(k, 0L);
            assertThat(n).as("%s", k).isGreaterThan(bad / 10);
            assertThat(stats.bad(k)).as("%s", k).isEqualTo(n);
            assertThat(stats.badByKind().get(k.reason())).isEqualTo(n);
        }
        assertThat(stats.badByModel()).isEqualTo(byModel);
        for (String model : DemoModels.names()) {
            assertThat(stats.badByModel()).containsKey(model);
            assertThat(stats.bad(model, BadRecordKind.OVERSIZE))
                    .isEqualTo(byModel.get(model).getOrDefault("oversize", 0L));
        }
        assertThat(stats.badByModel().keySet()).anyMatch(m -> !DemoModels.isKnown(m));
    }

    @Test
    void eachBadRecordHasTheDefectItsKindNames() throws IOException {
        Set<String> known = Set.copyOf(DemoModels.names());
        for (GeneratedRecord r : records) {
            if (!r.bad()) {
                continue;
            }
            assertThat(r.payloadAsString()).doesNotContain("\n");
            BadRecordKind kind = BadRecordKind.fromReason(r.badKind());
            if (kind == BadRecordKind.MALFORMED_JSON) {
                assertThat(r.model()).isNull();
                assertThat(isOneJsonObject(r.payload())).as("malformed: %s", r).isFalse();
                continue;
            }
            assertThat(isOneJsonObject(r.payload())).as("%s should be a JSON object: %s", kind, r).isTrue();
            JsonNode e = TestSupport.JSON.readTree(r.payload());
            assertThat(e.get("model").asText()).isEqualTo(r.model());
            assertThat(r.payload().length > 65_536).isEqualTo(kind == BadRecordKind.OVERSIZE);
            switch (kind) {
                case MISSING_FIELD -> assertThat(
                        missing(e, "request_id") || missing(e, "timestamp") || missing(e, "model_version"))
                        .as("missing field: %s", r).isTrue();
                case WRONG_TYPE -> assertThat(
                        e.get("latency_ms").isTextual() || e.get("timestamp").isBoolean()
                                || !Set.of("ok", "error").contains(e.get("status").asText()))
                        .as("wrong type: %s", r).isTrue();
                case IMPLAUSIBLE_TIMESTAMP -> {
                    long ts = TestSupport.timestampMillis(e);
                    int year = OffsetDateTime.ofInstant(java.time.Instant.ofEpochMilli(ts), ZoneOffset.UTC).getYear();
                    assertThat(year == 1999 || ts >= r.eventTimeMillis() + Duration.ofDays(30).toMillis())
                            .as("implausible: %s", r).isTrue();
                }
                case OVERSIZE -> assertThat(known).contains(r.model());
                case UNKNOWN_MODEL -> assertThat(known).doesNotContain(r.model());
                default -> throw new AssertionError(kind);
            }
            if (kind != BadRecordKind.UNKNOWN_MODEL) {
                assertThat(known).contains(r.model());
            }
            if (kind != BadRecordKind.MISSING_FIELD && kind != BadRecordKind.WRONG_TYPE
                    && kind != BadRecordKind.IMPLAUSIBLE_TIMESTAMP) {
                // otherwise well formed: the timestamp is the record's event time
                assertThat(TestSupport.timestampMillis(e)).isEqualTo(r.eventTimeMillis());
            }
        }
    }

    @Test
    void noBadRecordsByDefault() {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(20)).build();
        assertThat(config.badRecordRate()).isZero();
        TrafficGenerator g = new TrafficGenerator(config, Scenario.empty());
        g.forEachRemaining(r -> assertThat(r.bad()).isFalse());
        assertThat(g.stats().badRecords()).isZero();
        assertThat(g.stats().badByKind()).hasSize(BadRecordKind.values().length);
    }

    private static boolean missing(JsonNode e, String field) {
        return !e.has(field) || e.get(field).isNull();
    }

    private static boolean isOneJsonObject(byte[] payload) {
        try {
            return TestSupport.JSON.readTree(payload).isObject();
        } catch (IOException e) {
            return false;
        }
    }
}
