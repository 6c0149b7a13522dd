/**
 * {@code vigil bench}: throughput of the job's per-event path (parse, dead-letter routing, local
 * profile fold, keyed window merge) on a local Flink cluster, plus single-thread micro figures.
 *
 * <p>Payloads are generated once into a {@link dev.vigil.bench.PayloadPool} and replayed by
 * {@link dev.vigil.bench.BenchSource}, a FLIP-27 source that hands each payload to the
 * production {@link dev.vigil.events.InferenceRecordDeserializer} exactly as the Kafka source
 * does. Everything downstream is {@link dev.vigil.pipeline.VigilPipeline} unchanged; results go
 * to {@link dev.vigil.bench.DiscardingResultSinks}. The pool and the measurements are shared with
 * the job through static registries, so the bench runs on a local cluster in this JVM only.
 */
package dev.vigil.bench;
