package dev.vigil.grafana;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.vigil.grafana.GrafanaSql.Selection;
import dev.vigil.grafana.GrafanaSql.TimeRange;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The macro and variable expansion the dashboard query test relies on, against Grafana's documented output. */
class GrafanaSqlTest {
    private static final TimeRange RANGE = new TimeRange(Instant.parse("2017-04-21T05:01:17Z"), Instant.parse("2017-04-21T05:06:17Z"));
    private static final Map<String, Selection> VARS = Map.of(
            "model", Selection.single("o'brien"),
            "version", new Selection(List.of("1.0", "2.0"), true),
            "segment", Selection.single("all"));

    @Test
    void expandsTheTimeMacrosAsGrafanasPostgresDatasourceDoes() {
        assertThat(GrafanaSql.expandMacros("WHERE $__timeFilter(window_start)", RANGE))
                .isEqualTo("WHERE window_start BETWEEN '2017-04-21T05:01:17Z' AND '2017-04-21T05:06:17Z'");
        assertThat(GrafanaSql.expandMacros("$__timeGroup(dateColumn,'5m')", RANGE))
                .isEqualTo("floor(extract(epoch from dateColumn)/300)*300");
        assertThat(GrafanaSql.expandMacros("$__timeGroupAlias(w.window_start, 1m, 0)", RANGE))
                .isEqualTo("floor(extract(epoch from w.window_start)/60)*60 AS \"time\"");
        assertThat(GrafanaSql.expandMacros("$__timeTo()::timestamptz - $__timeFrom()::timestamptz", RANGE))
                .isEqualTo("'2017-04-21T05:06:17Z'::timestamptz - '2017-04-21T05:01:17Z'::timestamptz");
        assertThat(GrafanaSql.expandMacros("$__unixEpochFilter(ts)", RANGE))
                .isEqualTo("ts >= 1492750877 AND ts <= 1492751177");
        assertThat(GrafanaSql.expandMacros("$__unixEpochGroupAlias(ts, '1h')", RANGE))
                .isEqualTo("floor((ts)/3600)*3600 AS \"time\"");
    }

    @Test
    void interpolatesVariablesWithTheSqlDatasourceRulesAndFormats() {
        assertThat(GrafanaSql.interpolate("model = '$model' AND model_version IN ($version)", VARS, Duration.ofMinutes(1)))
                .isEqualTo("model = 'o''brien' AND model_version IN ('1.0','2.0')");
        assertThat(GrafanaSql.interpolate("${model:sqlstring} ${version:sqlstring} ${version:singlequote} ${version:csv} [[segment]]",
                VARS, Duration.ofMinutes(1)))
                .isEqualTo("'o''brien' '1.0','2.0' '1.0','2.0' 1.0,2.0 all");
        assertThat(GrafanaSql.render("$__timeGroupAlias(t, $__interval), $__interval_ms", VARS, RANGE, Duration.ofMinutes(5)))
                .isEqualTo("floor(extract(epoch from t)/300)*300 AS \"time\", 300000");
    }

    @Test
    void rejectsWhatItDoesNotKnow() {
        assertThatThrownBy(() -> GrafanaSql.interpolate("$nope", VARS, Duration.ofMinutes(1))).hasMessageContaining("$nope");
        assertThatThrownBy(() -> GrafanaSql.interpolate("${model:percentencode}", VARS, Duration.ofMinutes(1)))
                .hasMessageContaining("percentencode");
        assertThatThrownBy(() -> GrafanaSql.expandMacros("$__timeFilterX(t)", RANGE)).hasMessageContaining("timeFilterX");
        assertThatThrownBy(() -> GrafanaSql.expandMacros("$__timeGroup(t)", RANGE)).hasMessageContaining("timeGroup");
    }

    @Test
    void formatsIntervalsLikeGrafana() {
        assertThat(GrafanaSql.formatInterval(Duration.ofMinutes(1))).isEqualTo("1m");
        assertThat(GrafanaSql.formatInterval(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(GrafanaSql.formatInterval(Duration.ofHours(2))).isEqualTo("2h");
        assertThat(GrafanaSql.parseInterval("500ms")).isEqualTo(Duration.ofMillis(500));
    }
}
