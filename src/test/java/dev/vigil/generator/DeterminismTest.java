package dev.vigil.generator;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DeterminismTest {

    private static byte[] jsonLines(GeneratorConfig config, Scenario scenario) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new TrafficGenerator(config, scenario).writeJsonLines(out);
        return out.toByteArray();
    }

    @Test
    void sameSeedAndStartGiveIdenticalBytes() throws IOException {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(40)).badRecordRate(0.01).build();
        Scenario scenario = Scenario.demo();
        byte[] a = jsonLines(config, scenario);
        byte[] b = jsonLines(config, scenario);
        assertThat(a.length).isGreaterThan(1_000_000);
        assertThat(b).isEqualTo(a);

        // the record metadata is deterministic too
        List<GeneratedRecord> ra = TrafficGenerator.generateAll(config, scenario);
        List<GeneratedRecord> rb = TrafficGenerator.generateAll(config, scenario);
        assertThat(rb).hasSameSizeAs(ra);
        for (int i = 0; i < ra.size(); i++) {
            assertThat(rb.get(i).eventTimeMillis()).isEqualTo(ra.get(i).eventTimeMillis());
            assertThat(rb.get(i).model()).isEqualTo(ra.get(i).model());
            assertThat(rb.get(i).badKind()).isEqualTo(ra.get(i).badKind());
            assertThat(rb.get(i).payload()).isEqualTo(ra.get(i).payload());
        }
    }

    @Test
    void differentSeedOrStartGivesDifferentOutput() throws IOException {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(10)).build();
        byte[] base = jsonLines(config, Scenario.empty());
        assertThat(jsonLines(config.toBuilder().seed(43).build(), Scenario.empty())).isNotEqualTo(base);
        assertThat(jsonLines(config.toBuilder().start(config.start().plusSeconds(60)).build(), Scenario.empty()))
                .isNotEqualTo(base);
    }

    @Test
    void differentSeedsShareNoRequestIds() {
        GeneratorConfig config = TestSupport.config(Duration.ofMinutes(10)).build();
        Set<String> a = new HashSet<>(TestSupport.goodEvents(config, Scenario.empty()).keySet());
        Set<String> b = TestSupport.goodEvents(config.toBuilder().seed(7).build(), Scenario.empty()).keySet();
        a.retainAll(b);
        assertThat(a).isEmpty();
    }

    @Test
    void goodEventsDoNotDependOnTheBadRecordRate() {
        GeneratorConfig clean = TestSupport.config(Duration.ofMinutes(30)).build();
        GeneratorConfig dirty = clean.toBuilder().badRecordRate(0.02).build();
        List<GeneratedRecord> a = TrafficGenerator.generateAll(clean, Scenario.empty());
        List<GeneratedRecord> b = TrafficGenerator.generateAll(dirty, Scenario.empty()).stream()
                .filter(r -> !r.bad()).toList();
        assertThat(b).hasSameSizeAs(a);
        for (int i = 0; i < a.size(); i++) {
            assertThat(b.get(i).payload()).isEqualTo(a.get(i).payload());
        }
    }

    @Test
    void requestIdsAreUniqueIncludingBadRecords() {
        GeneratorConfig config = TestSupport.config(Duration.ofHours(1)).badRecordRate(0.05).build();
        Set<String> ids = new HashSet<>();
        TrafficGenerator g = new TrafficGenerator(config, Scenario.demo());
        long withId = 0;
        while (g.hasNext()) {
            GeneratedRecord r = g.next();
            if (r.requestId() != null) {
                withId++;
                assertThat(ids.add(r.requestId())).as("duplicate %s", r.requestId()).isTrue();
            }
        }
        assertThat(withId).isGreaterThan(50_000);
    }

    @Test
    void defaultStartIsNowMinusDurationFlooredToTheMinute() {
        Clock clock = Clock.fixed(Instant.parse("2026-11-27T08:47:31.250Z"), ZoneOffset.UTC);
        GeneratorConfig config = GeneratorConfig.builder().clock(clock).duration(Duration.ofHours(6)).build();
        assertThat(config.start()).isEqualTo(Instant.parse("2026-11-27T02:47:00Z"));
        assertThat(config.end()).isEqualTo(Instant.parse("2026-11-27T08:47:00Z"));
    }

    @Test
    void eventsStayInsideTheSimulatedRange() {
        GeneratorConfig config = TestSupport.config(Duration.ofMillis(90_500)).badRecordRate(0.05).build();
        long start = config.start().toEpochMilli();
        long end = config.end().toEpochMilli();
        List<GeneratedRecord> all = TrafficGenerator.generateAll(config, Scenario.empty());
        assertThat(all).isNotEmpty();
        assertThat(all).allSatisfy(r -> assertThat(r.eventTimeMillis()).isBetween(start, end - 1));
        assertThat(all.stream().filter(r -> !r.bad()))
                .allSatisfy(r -> assertThat(TestSupport.timestampMillis(TestSupport.parse(r)))
                        .isEqualTo(r.eventTimeMillis()));
    }
}
