/**
 * Alerts for every detector: one lifecycle from detector results to stored and published alerts.
 *
 * <ul>
 *   <li>{@link dev.vigil.alerts.Evaluation}: one detector result for one key (model, version,
 *       segment, feature, kind) at one event time, with its alert policy.
 *   <li>{@link dev.vigil.alerts.AlertLifecycle}: opens, escalates, de-escalates and resolves
 *       alerts from runs of evaluations, in event-time order; emits
 *       {@link dev.vigil.alerts.AlertEvent}s only on changes.
 *   <li>{@link dev.vigil.alerts.AlertSinks}: the {@code alerts} table (idempotent upserts) and a
 *       Kafka topic (JSON).
 * </ul>
 *
 * <pre>{@code
 * DataStream<Evaluation> evaluations = drift.union(quality, health);
 * SingleOutputStreamOperator<AlertEvent> alerts = AlertLifecycle.apply(evaluations);
 * AlertSinks.toPostgres(alerts, jdbcSettings);
 * AlertSinks.toKafka(alerts, bootstrapServers, "vigil-alerts");
 * }</pre>
 */
package dev.vigil.alerts;
