package dev.vigil.demo;

import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.generator.Incident;
import dev.vigil.generator.IncidentKind;
import dev.vigil.generator.SegmentSelector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which alerts count as detecting which incident, and which are reported as matching none. */
class IncidentReportTest {

    private static final Instant START = Instant.parse("2026-11-27T06:00:00Z");
    private static final DemoSummary EMPTY = new DemoSummary(List.of(), 0, List.of(), List.of(), Map.of());

    private static Incident incident(String id, IncidentKind kind, String model, String segment, String feature,
            Duration start, Duration duration, double magnitude) {
        return new Incident(id, kind, model, SegmentSelector.parse(segment), feature, start, duration, magnitude, null);
    }

    private static IncidentReport.Alert alert(String id, String model, String segment, String feature, String kind,
            Duration firedAfterStart) {
        long fired = START.plus(firedAfterStart).toEpochMilli();
        return new IncidentReport.Alert(id, model, segment, feature, kind, "warning", fired, fired - 300_000, null, "why");
    }

    private static Map<String, Object> row(DemoSummary s, String incidentId) {
        return s.incidents().stream().filter(r -> r.get("id").equals(incidentId)).findFirst().orElseThrow();
    }

    private static List<Object> unmatchedIds(DemoSummary s) {
        List<Object> ids = new ArrayList<>();
        s.unmatchedAlerts().forEach(a -> ids.add(a.get("alert_id")));
        return ids;
    }

    @Test
    void eachIncidentKindIsDetectedByItsAlertKindOnTheSameModel() {
        Duration h = Duration.ofHours(1);
        List<Incident> incidents = List.of(
                incident("errors", IncidentKind.ERROR_SPIKE, "price-estimator", "region=south", null, h, h, 0.25),
                incident("latency", IncidentKind.LATENCY_REGRESSION, "ticket-router", "all", null, h, h, 4),
                incident("drop", IncidentKind.TRAFFIC_DROP, "fraud-scorer", "country=GB", null, h, h, 0.1),
                incident("quiet", IncidentKind.SILENCE, "price-estimator", "all", null, h.multipliedBy(3), h, Double.NaN),
                incident("stuck", IncidentKind.STUCK_FEATURE, "price-estimator", "all", "building_age_years",
                        h.multipliedBy(5), h, 1),
                incident("overrides", IncidentKind.OVERRIDE_RISE, "fraud-scorer", "all", null, h, h, 0.3),
                incident("concept", IncidentKind.CONCEPT_DRIFT, "fraud-scorer", "all", null, h.multipliedBy(3), h, 0.7));
        List<IncidentReport.Alert> alerts = List.of(
                alert("a-latency-wrong-model", "fraud-scorer", "all", "", "latency_p99", Duration.ofMinutes(70)),
                alert("a-errors", "price-estimator", "region=south", "", "error_rate", Duration.ofMinutes(75)),
                alert("a-latency", "ticket-router", "channel=chat", "", "latency_p99", Duration.ofMinutes(80)),
                alert("a-drop", "fraud-scorer", "country=GB", "", "traffic", Duration.ofMinutes(85)),
                alert("a-overrides", "fraud-scorer", "all", "", "override_rate", Duration.ofMinutes(90)),
                alert("a-quiet", "price-estimator", "all", "", "silence", Duration.ofMinutes(185)),
                // a performance alert fired late, while labels of the incident's predictions arrive
                alert("a-concept", "fraud-scorer", "all", "roc_auc", "performance", Duration.ofMinutes(290)),
                alert("a-stuck", "price-estimator", "device=ios", "building_age_years", "stuck_feature",
                        Duration.ofMinutes(310)));
        DemoSummary s = IncidentReport.withIncidents(EMPTY, incidents, START, alerts);

        assertThat(row(s, "errors").get("alert")).isEqualTo("a-errors");
        assertThat(row(s, "errors").get("delay_seconds")).isEqualTo(15L * 60);
        assertThat(row(s, "errors").get("injected_at")).isEqualTo("2026-11-27T07:00:00Z");
        assertThat(row(s, "errors").get("detected_at")).isEqualTo("2026-11-27T07:15:00Z");
        assertThat(row(s, "latency").get("alert")).isEqualTo("a-latency");
        assertThat(row(s, "drop").get("alert")).isEqualTo("a-drop");
        assertThat(row(s, "overrides").get("alert")).isEqualTo("a-overrides");
        assertThat(row(s, "quiet").get("alert")).isEqualTo("a-quiet");
        assertThat(row(s, "concept").get("alert")).isEqualTo("a-concept");
        assertThat(row(s, "concept").get("delay_seconds")).isEqualTo(110L * 60);
        assertThat(row(s, "stuck").get("alert")).isEqualTo("a-stuck");
        assertThat(row(s, "stuck").get("feature")).isEqualTo("building_age_years");
        assertThat(unmatchedIds(s)).containsExactly("a-latency-wrong-model");
    }

    @Test
    void anAlertCountsOnlyInASegmentThatHoldsTheIncidentsEvents() {
        Incident drop = incident("drop", IncidentKind.TRAFFIC_DROP, "fraud-scorer", "country=GB", null,
                Duration.ofHours(1), Duration.ofMinutes(30), 0.1);
        List<IncidentReport.Alert> alerts = List.of(
                alert("other-country", "fraud-scorer", "country=FR", "", "traffic", Duration.ofMinutes(65)),
                alert("other-dimension", "fraud-scorer", "channel=web", "", "traffic", Duration.ofMinutes(70)),
                alert("all", "fraud-scorer", "all", "", "traffic", Duration.ofMinutes(75)),
                alert("folded", "fraud-scorer", "country=other", "", "traffic", Duration.ofMinutes(76)));
        DemoSummary s = IncidentReport.withIncidents(EMPTY, List.of(drop), START, alerts);
        assertThat(row(s, "drop").get("alert")).isEqualTo("other-dimension");
        assertThat(unmatchedIds(s)).containsExactly("other-country");

        SegmentSelector de = SegmentSelector.parse("country=DE");
        assertThat(IncidentReport.holdsIncidentEvents(de, "all")).isTrue();
        assertThat(IncidentReport.holdsIncidentEvents(de, "country=DE")).isTrue();
        assertThat(IncidentReport.holdsIncidentEvents(de, "country=US")).isFalse();
        assertThat(IncidentReport.holdsIncidentEvents(de, "device=ios")).isTrue();
        assertThat(IncidentReport.holdsIncidentEvents(SegmentSelector.ALL, "country=US")).isTrue();
    }

    @Test
    void alertsOutsideTheIncidentAndItsGraceOrOfAnotherKindMatchNothing() {
        Incident errors = incident("errors", IncidentKind.ERROR_SPIKE, "price-estimator", "all", null,
                Duration.ofHours(2), Duration.ofMinutes(20), 0.25);
        Incident concept = incident("concept", IncidentKind.CONCEPT_DRIFT, "fraud-scorer", "all", null,
                Duration.ofHours(2), Duration.ofMinutes(90), 0.7);
        List<IncidentReport.Alert> alerts = List.of(
                alert("history", "price-estimator", "all", "", "error_rate", Duration.ofHours(-3)),
                alert("before", "price-estimator", "all", "", "error_rate", Duration.ofMinutes(110)),
                alert("wrong-kind", "price-estimator", "all", "", "latency_p99", Duration.ofMinutes(125)),
                alert("after-grace", "price-estimator", "all", "", "error_rate",
                        Duration.ofMinutes(140).plus(IncidentReport.GRACE).plusMinutes(1)),
                alert("in-feedback-grace", "fraud-scorer", "all", "log_loss", "performance",
                        Duration.ofMinutes(210).plus(IncidentReport.FEEDBACK_GRACE)),
                alert("drift-is-not-concept-drift", "fraud-scorer", "all", "amount", "drift", Duration.ofMinutes(130)));
        DemoSummary s = IncidentReport.withIncidents(EMPTY, List.of(errors, concept), START, alerts);
        assertThat(row(s, "errors").get("detected_at")).isNull();
        assertThat(row(s, "errors").get("delay_seconds")).isNull();
        assertThat(row(s, "concept").get("alert")).isEqualTo("in-feedback-grace");
        assertThat(unmatchedIds(s)).containsExactly("history", "before", "wrong-kind", "after-grace",
                "drift-is-not-concept-drift");
    }

    @Test
    void driftAlertsMatchTheIncidentsFeatureOrTheModelsOutput() {
        Incident shift = incident("shift", IncidentKind.NUMERIC_SHIFT, "fraud-scorer", "country=DE", "amount",
                Duration.ofHours(1), Duration.ofMinutes(45), 1.5);
        Incident scores = incident("scores", IncidentKind.SCORE_SHIFT, "fraud-scorer", "channel=app", null,
                Duration.ofHours(3), Duration.ofMinutes(40), 1.5);
        List<IncidentReport.Alert> alerts = List.of(
                alert("amount", "fraud-scorer", "country=DE", "amount", "drift", Duration.ofMinutes(70)),
                alert("output", "fraud-scorer", "all", "prediction", "drift", Duration.ofMinutes(72)),
                alert("other-feature", "fraud-scorer", "country=DE", "card_type", "drift", Duration.ofMinutes(74)),
                alert("score-drift", "fraud-scorer", "channel=app", "prediction", "drift", Duration.ofMinutes(190)),
                alert("score-input", "fraud-scorer", "channel=app", "amount", "drift", Duration.ofMinutes(192)),
                alert("score-calibration", "fraud-scorer", "channel=app", "log_loss", "performance", Duration.ofMinutes(195)));
        DemoSummary s = IncidentReport.withIncidents(EMPTY, List.of(shift, scores), START, alerts);
        assertThat(row(s, "shift").get("alert")).isEqualTo("amount");
        assertThat(row(s, "scores").get("alert")).isEqualTo("score-drift");
        assertThat(row(s, "scores").get("feature")).isEqualTo("prediction");
        assertThat(unmatchedIds(s)).containsExactly("other-feature", "score-input");
    }
}
