package dev.vigil.docs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.vigil.events.InferenceEventParser;
import dev.vigil.events.ParsedRecord;
import dev.vigil.events.ParserLimits;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;
import dev.vigil.spec.SegmentDimension;
import dev.vigil.spec.SpecException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/monitor-spec.md shows real specs: every YAML block loads (or, when marked
 * {@code <!-- spec-check: invalid -->}, fails with exactly the message shown in the text block
 * after it), the demo block is the packaged demo spec, and the example events parse with the
 * spec before them. The defaults and limits the page states are the loader's.
 */
class MonitorSpecDocTest {
    static final Path DOC = Path.of("docs", "monitor-spec.md");
    private static final Pattern FENCE = Pattern.compile("(?ms)^```(\\w+)\\n(.*?)^```\\s*$");
    private static final Pattern MARK = Pattern.compile("<!-- spec-check: (\\w+) -->\\s*$");

    record Block(String lang, String body, String mark) {}

    static List<Block> blocks() throws IOException {
        String md = Files.readString(DOC);
        List<Block> out = new ArrayList<>();
        Matcher m = FENCE.matcher(md);
        while (m.find()) {
            Matcher mark = MARK.matcher(md.substring(0, m.start()));
            out.add(new Block(m.group(1), m.group(2), mark.find() ? mark.group(1) : null));
        }
        return out;
    }

    @Test
    void everySpecOnThePageBehavesAsShown() throws IOException {
        List<Block> blocks = blocks();
        int valid = 0;
        int invalid = 0;
        int events = 0;
        MonitorSpec lastSpec = null;
        for (int i = 0; i < blocks.size(); i++) {
            Block b = blocks.get(i);
            if (b.lang().equals("yaml") && "invalid".equals(b.mark())) {
                Block expected = blocks.get(i + 1);
                assertThat(expected.lang()).isEqualTo("text");
                SpecException e = catchThrowableOfType(SpecException.class, () -> MonitorSpecLoader.parse(b.body()));
                assertThat(e).as("expected to be rejected:%n%s", b.body()).isNotNull();
                assertThat(e.getMessage()).isEqualTo(expected.body().strip().replace("monitor-spec.yaml:", "(text):"));
                invalid++;
            } else if (b.lang().equals("yaml")) {
                lastSpec = MonitorSpecLoader.parse(b.body());
                valid++;
            } else if (b.lang().equals("json")) {
                assertThat(lastSpec).as("a JSON example follows a spec").isNotNull();
                long now = Instant.parse("2026-11-27T03:00:00Z").toEpochMilli();
                ParsedRecord r = new InferenceEventParser(lastSpec, ParserLimits.DEFAULTS)
                        .parse(b.body().getBytes(StandardCharsets.UTF_8), "inference-logs", 0, 0, now);
                assertThat(r.deadLetter).as(() -> r.deadLetter.reason + ": " + r.deadLetter.detail).isNull();
                events++;
            }
        }
        assertThat(valid).isGreaterThanOrEqualTo(3);
        assertThat(invalid).isEqualTo(1);
        assertThat(events).isEqualTo(1);
    }

    @Test
    void theDemoBlockIsThePackagedDemoSpec() throws IOException {
        Block demo = blocks().stream().filter(b -> "demo".equals(b.mark())).findFirst().orElseThrow();
        try (InputStream in = MonitorSpecDocTest.class.getResourceAsStream("/demo/monitor-spec.yaml")) {
            assertThat(demo.body().strip()).isEqualTo(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
        }
    }

    @Test
    void theStatedDefaultsAndLimitsAreTheLoaders() {
        MonitorSpec spec = MonitorSpecLoader.parse("""
                models:
                  - name: m
                    task: ranking
                    segments:
                      - {name: a}
                      - {name: b, max-values: 1000}
                      - {name: c, values: [x, y, z], max-values: 50}
                """);
        ModelSpec m = spec.model("m");
        assertThat(m.window()).isEqualTo(Duration.ofMinutes(1));
        assertThat(m.allowedLateness()).isEqualTo(Duration.ofMinutes(5));
        assertThat(m.segments()).extracting(SegmentDimension::maxValues).containsExactly(20, 1000, 3);
        assertThat(m.windowStart(Instant.parse("2026-11-27T08:04:59.999Z").toEpochMilli()))
                .isEqualTo(Instant.parse("2026-11-27T08:04:00Z").toEpochMilli());

        for (String window : List.of("30s", "45s", "1m", "5m", "15m", "90m", "1h", "6h", "1d", "5 M")) {
            assertThat(MonitorSpecLoader.parse("models: [{name: m, task: regression, window: '" + window + "'}]")
                    .model("m").window()).as(window).isPositive();
        }
        for (String window : List.of("7m", "25m", "0s", "2d", "300")) {
            assertThat(catchThrowableOfType(SpecException.class,
                    () -> MonitorSpecLoader.parse("models: [{name: m, task: regression, window: '" + window + "'}]")))
                    .as(window).isNotNull();
        }
        assertThat(MonitorSpecLoader.parse("models: [{name: m, task: regression, allowed-lateness: 0s}]")
                .model("m").allowedLateness()).isZero();
        assertThat(catchThrowableOfType(SpecException.class, () -> MonitorSpecLoader.parse(
                "models: [{name: m, task: regression, segments: [{name: a, max-values: 1001}]}]"))).isNotNull();
    }
}
