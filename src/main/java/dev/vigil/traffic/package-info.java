/**
 * Usage monitoring of traffic volume: {@link dev.vigil.traffic.TrafficAnomalyDetector} compares
 * each bucket's events with the same slot in past seasons (robust deviations, drops and spikes),
 * and {@link dev.vigil.traffic.SilenceDetector} notices a model that stopped sending anything,
 * by event time and by wall-clock time, even when every input is idle. Method and formulas:
 * docs/traffic-and-silence.md.
 */
package dev.vigil.traffic;
