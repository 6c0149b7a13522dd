/**
 * Synthetic inference traffic for the three demo models of {@code demo/monitor-spec.yaml}.
 *
 * <ul>
 *   <li>{@link dev.vigil.generator.GeneratorConfig}: seed, simulated start and duration, rates.
 *   <li>{@link dev.vigil.generator.Scenario}: incidents scheduled at offsets from the start
 *       (loaded from YAML, e.g. {@code demo/scenario.yaml}, and validated).
 *   <li>{@link dev.vigil.generator.TrafficGenerator}: a deterministic iterator of
 *       {@link dev.vigil.generator.GeneratedRecord}s, with {@link dev.vigil.generator.GenerationStats}.
 *   <li>{@link dev.vigil.generator.KafkaTrafficWriter}: sends records to a topic, optionally paced
 *       over a wall-clock duration.
 *   <li>{@link dev.vigil.generator.DemoModels}: what the simulation knows about each model.
 * </ul>
 *
 * <p>Nothing in generation reads the wall clock or a shared random source: the same seed, start,
 * duration, rates and scenario give byte-identical output.
 */
package dev.vigil.generator;
