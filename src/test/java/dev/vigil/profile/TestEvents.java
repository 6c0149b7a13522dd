package dev.vigil.profile;

import dev.vigil.events.InferenceEvent;
import dev.vigil.spec.MonitorSpec;
import dev.vigil.spec.MonitorSpecLoader;

/** A small spec and event factory for profile tests. */
final class TestEvents {
    static final MonitorSpec SPEC = MonitorSpecLoader.parse("""
            models:
              - name: m1
                task: binary-classification
                window: 1m
                allowed-lateness: 2m
                segments:
                  - {name: country, max-values: 2}
                  - {name: channel, values: [web, app]}
                features:
                  - {name: x, type: numeric, range: [0, 100]}
                  - {name: c, type: categorical, categories: [a, b]}
                prediction:
                  labels: [yes, no]
            """);

    private TestEvents() {}

    static InferenceEvent event(long ts, String country, String channel, double x, String c) {
        InferenceEvent e = new InferenceEvent();
        e.model = "m1";
        e.modelVersion = "v1";
        e.timestamp = ts;
        e.requestId = "r" + ts;
        e.latencyMs = 10;
        e.score = 0.5;
        e.label = "yes";
        e.segments = new String[] {country, channel};
        e.numeric = new double[] {x};
        e.numericState = new byte[] {Double.isNaN(x) ? InferenceEvent.MISSING : InferenceEvent.PRESENT};
        e.categorical = new String[] {c};
        e.categoricalState = new byte[] {c == null ? InferenceEvent.MISSING : InferenceEvent.PRESENT};
        return e;
    }
}
