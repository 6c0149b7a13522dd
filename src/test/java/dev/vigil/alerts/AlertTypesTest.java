package dev.vigil.alerts;

import static org.apache.flink.types.PojoTestUtils.assertSerializedAsPojoWithoutKryo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.vigil.store.JdbcSettings;
import java.lang.reflect.Proxy;
import java.sql.PreparedStatement;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The alert types are Flink POJOs, keys are stable and unambiguous, the sinks bind and name every column. */
class AlertTypesTest {
    private static final long OPENED = 1_794_960_060_000L; // 2026-11-18T00:01:00Z

    @ParameterizedTest
    @ValueSource(classes = {Evaluation.class, AlertEvent.class, AlertTrack.class})
    void serializedAsPojoWithoutKryo(Class<?> type) {
        assertSerializedAsPojoWithoutKryo(type);
    }

    @Test
    void evaluationDefaults() {
        Evaluation e = new Evaluation();
        assertThat(e.feature).isEmpty();
        assertThat(e.fireAfter).isEqualTo(3);
        assertThat(e.resolveAfter).isEqualTo(3);
        assertThat(e.breaching()).isFalse();
        assertThat(new Evaluation("m", "v", "all", null, "error_rate", 0).feature).isEmpty();
    }

    @Test
    void keysAreReadableAndDistinguishTheirParts() {
        assertThat(new Evaluation("fraud-scorer", "3", "country=DE", "amount", "drift_psi", 0).key())
                .isEqualTo("fraud-scorer/3/country=DE/amount/drift_psi");
        assertThat(Evaluation.key("a/b", "c", "all", "", "k")).isNotEqualTo(Evaluation.key("a", "b/c", "all", "", "k"))
                .isEqualTo("a%2Fb/c/all//k");
        assertThat(Evaluation.key("a%2Fb", "c", "all", "", "k")).isEqualTo("a%252Fb/c/all//k");
        assertThat(Evaluation.key("m@x", "1", "all", null, "k")).isEqualTo("m%40x/1/all//k");
        assertThat(Evaluation.alertId("m/1/all//k", OPENED)).isEqualTo("m/1/all//k@2026-11-18T00:01:00Z");
        assertThat(Evaluation.alertId("m/1/all//k", OPENED + 1)).isEqualTo("m/1/all//k@2026-11-18T00:01:00.001Z");
    }

    @Test
    void anEventsKeyIsTheKeyOfItsEvaluations() {
        AlertEvent a = sample();
        assertThat(a.key()).isEqualTo(new Evaluation(a.model, a.modelVersion, a.segment, a.feature, a.kind, 0).key());
        assertThat(a.alertId).startsWith(a.key() + "@");
    }

    @Test
    void severities() {
        assertThat(Severity.rank(null)).isZero();
        assertThat(Severity.rank("warning")).isEqualTo(1);
        assertThat(Severity.rank("critical")).isEqualTo(2);
        assertThat(Severity.isValid("CRITICAL")).isFalse();
        assertThat(Severity.max("warning", "critical")).isEqualTo("critical");
        assertThat(Severity.max("warning", null)).isEqualTo("warning");
    }

    @Test
    void theUpsertBindsEveryColumnOnceAndNeverMovesARowBackInTime() throws Exception {
        assertThat(AlertSinks.UPSERT_SQL.chars().filter(c -> c == '?').count()).isEqualTo(AlertSinks.COLUMNS.length);
        assertThat(AlertSinks.UPSERT_SQL)
                .startsWith("INSERT INTO alerts (alert_id, model, model_version, segment, feature, kind, severity, status, "
                        + "opened_at, fired_at, updated_at, resolved_at, score, threshold, explanation) VALUES (?, ?, ?")
                .contains("ON CONFLICT (alert_id) DO UPDATE SET model = EXCLUDED.model, ")
                .contains("explanation = EXCLUDED.explanation")
                .endsWith(" WHERE alerts.updated_at <= EXCLUDED.updated_at")
                .doesNotContain("alert_id = EXCLUDED")
                .doesNotContain("now()");

        Map<Integer, Object> open = bound(sample());
        assertThat(open.keySet()).containsExactlyElementsOf(
                java.util.stream.IntStream.rangeClosed(1, AlertSinks.COLUMNS.length).boxed().toList());
        assertThat(open.get(1)).isEqualTo(sample().alertId);
        assertThat(open.get(9)).isEqualTo(OffsetDateTime.parse("2026-11-18T00:01:00Z"));
        assertThat(open.get(10)).isEqualTo(OffsetDateTime.parse("2026-11-18T00:03:00Z"));
        assertThat(open.get(11)).isEqualTo(OffsetDateTime.parse("2026-11-18T00:03:00Z"));
        assertThat(open.get(12)).isEqualTo("NULL");
        assertThat(open.get(13)).isEqualTo(0.41);
        assertThat(open.get(15)).isEqualTo(sample().explanation);

        AlertEvent resolved = sample();
        resolved.status = AlertEvent.RESOLVED;
        resolved.resolvedAt = OPENED + 600_000;
        resolved.score = Double.NaN;
        resolved.threshold = null;
        Map<Integer, Object> r = bound(resolved);
        assertThat(r.get(12)).isEqualTo(OffsetDateTime.parse("2026-11-18T00:11:00Z"));
        assertThat(r.get(13)).isEqualTo("NULL");
        assertThat(r.get(14)).isEqualTo("NULL");
    }

    @Test
    void kafkaMessagesUseTheTableColumnNamesPlusChange() throws Exception {
        AlertEvent a = sample();
        Map<String, Object> json = AlertEventSerializer.fields(a);
        assertThat(json.keySet()).containsExactlyElementsOf(
                java.util.stream.Stream.concat(java.util.Arrays.stream(AlertSinks.COLUMNS), java.util.stream.Stream.of("change")).toList());
        assertThat(json).containsEntry("opened_at", "2026-11-18T00:01:00Z").containsEntry("fired_at", "2026-11-18T00:03:00Z")
                .containsEntry("resolved_at", null)
                .containsEntry("change", "opened").containsEntry("score", 0.41);

        var record = new AlertEventSerializer("alerts").serialize(a, null, null);
        assertThat(record.topic()).isEqualTo("alerts");
        assertThat(new String(record.key(), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(a.alertId);
        var parsed = new com.fasterxml.jackson.databind.ObjectMapper().readTree(record.value());
        assertThat(parsed.get("alert_id").asText()).isEqualTo(a.alertId);
        assertThat(parsed.get("resolved_at").isNull()).isTrue();
    }

    @Test
    void everyOperatorAndSinkHasAStableUidAndAName() {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        Evaluation e = new Evaluation("m", "1", "all", "", "error_rate", 0);
        var alerts = AlertLifecycle.apply(env.fromData(Evaluation.class, e));
        AlertSinks.toPostgres(alerts, JdbcSettings.of("jdbc:postgresql://127.0.0.1:1/none", "nobody", "none"));
        AlertSinks.toKafka(alerts, "127.0.0.1:1", "vigil-alerts");
        Map<String, String> uids = env.getStreamGraph().getStreamNodes().stream()
                .filter(n -> n.getTransformationUID() != null)
                .collect(Collectors.toMap(StreamNode::getTransformationUID, StreamNode::getOperatorName, (x, y) -> x, TreeMap::new));
        assertThat(uids).containsKeys(AlertLifecycle.UID, AlertSinks.TABLE_UID, AlertSinks.TOPIC_UID);
        assertThat(uids.get(AlertLifecycle.UID)).isEqualTo("alert lifecycle");
        assertThat(List.of(uids.get(AlertSinks.TABLE_UID), uids.get(AlertSinks.TOPIC_UID)))
                .allSatisfy(name -> assertThat(name).startsWith("alerts ("));
    }

    static AlertEvent sample() {
        AlertEvent a = new AlertEvent();
        a.model = "fraud-scorer";
        a.modelVersion = "3";
        a.segment = "country=DE";
        a.feature = "amount";
        a.kind = "drift_psi";
        a.alertId = Evaluation.alertId(a.key(), OPENED);
        a.severity = Severity.CRITICAL;
        a.status = AlertEvent.OPEN;
        a.openedAt = OPENED;
        a.firedAt = OPENED + 120_000;
        a.updatedAt = OPENED + 120_000;
        a.score = 0.41;
        a.threshold = 0.25;
        a.explanation = "PSI of amount in country=DE is 0.41, above the critical threshold 0.25 for 3 evaluations.";
        a.change = AlertEvent.CHANGE_OPENED;
        return a;
    }

    /** Binds the event on a recording statement: parameter index to value ("NULL" for setNull). */
    private static Map<Integer, Object> bound(AlertEvent a) throws Exception {
        Map<Integer, Object> values = new TreeMap<>();
        PreparedStatement ps = (PreparedStatement) Proxy.newProxyInstance(AlertTypesTest.class.getClassLoader(),
                new Class<?>[] {PreparedStatement.class}, (proxy, method, args) -> {
                    if (method.getName().startsWith("set") && args != null && args.length >= 2 && args[0] instanceof Integer i) {
                        Object previous = values.put(i, method.getName().equals("setNull") ? "NULL" : args[1]);
                        assertThat(previous).as("parameter %d bound twice", i).isNull();
                        return null;
                    }
                    throw new UnsupportedOperationException(method.getName());
                });
        AlertSinks.bind(ps, a);
        return values;
    }
}
