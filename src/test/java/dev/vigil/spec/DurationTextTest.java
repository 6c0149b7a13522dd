package dev.vigil.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** Short durations in specs and flags: {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 7d}. */
class DurationTextTest {

    @Nested
    @DisplayName("parse")
    class Parse {

        static Stream<Arguments> units() {
            return Stream.of(
                    Arguments.of("500ms", Duration.ofMillis(500)),
                    Arguments.of("30s", Duration.ofSeconds(30)),
                    Arguments.of("5m", Duration.ofMinutes(5)),
                    Arguments.of("2h", Duration.ofHours(2)),
                    Arguments.of("7d", Duration.ofDays(7)),
                    Arguments.of("0s", Duration.ZERO),
                    Arguments.of("0ms", Duration.ZERO),
                    Arguments.of("90s", Duration.ofSeconds(90)),
                    Arguments.of("1440m", Duration.ofDays(1)),
                    Arguments.of("007m", Duration.ofMinutes(7)));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("units")
        void readsANumberAndAUnit(String text, Duration expected) {
            assertThat(DurationText.parse(text)).isEqualTo(expected);
        }

        @Test
        void millisecondsAreNotMistakenForMinutes() {
            assertThat(DurationText.parse("5ms")).isEqualTo(Duration.ofMillis(5));
            assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        }

        @ParameterizedTest
        @ValueSource(strings = {"5M", "5 m", " 5m ", "\t5m\n", "5  M"})
        void ignoresCaseAndSurroundingOrInnerWhitespace(String text) {
            assertThat(DurationText.parse(text)).isEqualTo(Duration.ofMinutes(5));
        }

        @Test
        void acceptsUpperCaseMilliseconds() {
            assertThat(DurationText.parse("250MS")).isEqualTo(Duration.ofMillis(250));
        }

        @ParameterizedTest(name = "''{0}''")
        @NullAndEmptySource
        @ValueSource(strings = {"5", "m", "5 minutes", "five minutes", "-5m", "+5m", "1.5h", "5w", "5mm", "5m30s",
                "PT5M", "m5", "   "})
        void rejectsAnythingElseWithAMessageNamingTheFormat(String text) {
            assertThatThrownBy(() -> DurationText.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("'" + text + "' is not a duration; use a number and a unit: ms, s, m, h or d (e.g. 5m)");
        }

        /**
         * A number too large for a duration is still a wrong duration text; {@code parse}
         * documents an {@link IllegalArgumentException} naming the expected format, so callers
         * (the spec loader, the CLI converter) can report it.
         */
        @ParameterizedTest(name = "''{0}''")
        @ValueSource(strings = {"99999999999999999999s", "999999999999999d", "9223372036854775807h"})
        void rejectsANumberTooLargeForADurationWithTheSameMessage(String text) {
            assertThatThrownBy(() -> DurationText.parse(text))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + text + "' is not a duration");
        }
    }

    @Nested
    @DisplayName("format")
    class Format {

        static Stream<Arguments> shortestText() {
            return Stream.of(
                    Arguments.of(Duration.ofMillis(500), "500ms"),
                    Arguments.of(Duration.ofMillis(1500), "1500ms"),
                    Arguments.of(Duration.ofSeconds(1), "1s"),
                    Arguments.of(Duration.ofSeconds(30), "30s"),
                    Arguments.of(Duration.ofSeconds(60), "1m"),
                    Arguments.of(Duration.ofSeconds(90), "90s"),
                    Arguments.of(Duration.ofMinutes(5), "5m"),
                    Arguments.of(Duration.ofMinutes(90), "90m"),
                    Arguments.of(Duration.ofMinutes(120), "2h"),
                    Arguments.of(Duration.ofHours(24), "1d"),
                    Arguments.of(Duration.ofHours(36), "36h"),
                    Arguments.of(Duration.ofDays(7), "7d"),
                    Arguments.of(Duration.ZERO, "0s"));
        }

        @ParameterizedTest(name = "{0} -> {1}")
        @MethodSource("shortestText")
        void writesTheLargestUnitThatKeepsTheNumberWhole(Duration duration, String expected) {
            assertThat(DurationText.format(duration)).isEqualTo(expected);
        }
    }

    @Nested
    @DisplayName("round trips")
    class RoundTrips {

        @ParameterizedTest
        @ValueSource(strings = {"1ms", "999ms", "1001ms", "1s", "59s", "61s", "1m", "59m", "61m", "1h", "23h", "25h",
                "1d", "7d", "30d", "365d"})
        void formattingAParsedCanonicalTextGivesTheSameText(String text) {
            assertThat(DurationText.format(DurationText.parse(text))).isEqualTo(text);
        }

        @ParameterizedTest
        @ValueSource(longs = {0, 1, 7, 999, 1000, 1001, 59_999, 60_000, 60_001, 3_599_999, 3_600_000, 86_399_999,
                86_400_000, 86_400_001, 604_800_000, 1_234_567_890})
        void parsingAFormattedDurationGivesTheSameDuration(long millis) {
            Duration d = Duration.ofMillis(millis);

            assertThat(DurationText.parse(DurationText.format(d))).isEqualTo(d);
        }

        @Test
        void nonCanonicalTextsReadBackAsTheirShortestForm() {
            assertThat(DurationText.format(DurationText.parse("60s"))).isEqualTo("1m");
            assertThat(DurationText.format(DurationText.parse("3600000ms"))).isEqualTo("1h");
            assertThat(DurationText.format(DurationText.parse("48h"))).isEqualTo("2d");
            assertThat(DurationText.format(DurationText.parse("0d"))).isEqualTo("0s");
        }
    }
}
