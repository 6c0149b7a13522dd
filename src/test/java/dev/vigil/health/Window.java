package dev.vigil.health;

import dev.vigil.events.InferenceEvent;
import dev.vigil.profile.ProfileCodec;
import dev.vigil.profile.SegmentProfile;
import dev.vigil.profile.WindowProfile;
import dev.vigil.spec.ModelSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds one window's profile of a test model by folding hand-made events into it, the way the
 * job does, so every count the checks read is known exactly. Each event starts healthy: latency
 * 10 ms, score 0.5, label {@code yes}, numeric features spread over 10 to 59, categorical
 * features alternating {@code a} and {@code b}.
 */
final class Window {
    private final ModelSpec model;
    private final List<InferenceEvent> events = new ArrayList<>();

    Window(ModelSpec model) {
        this.model = model;
    }

    /** Adds {@code n} events, each a healthy default changed by {@code edit} (called with the event's index). */
    Window add(int n, EventEdit edit) {
        for (int i = 0; i < n; i++) {
            InferenceEvent e = new InferenceEvent();
            e.model = model.name();
            e.modelVersion = "v1";
            e.latencyMs = 10;
            e.score = 0.5;
            e.label = "yes";
            e.segments = new String[model.segments().size()];
            int numeric = model.numericFeatures().size();
            int categorical = model.categoricalFeatures().size();
            e.numeric = new double[numeric];
            e.numericState = new byte[numeric];
            for (int k = 0; k < numeric; k++) e.numeric[k] = 10 + (i + k) % 50; // spread, inside [0, 100]
            e.categorical = new String[categorical];
            e.categoricalState = new byte[categorical];
            for (int k = 0; k < categorical; k++) e.categorical[k] = (i + k) % 2 == 0 ? "a" : "b";
            edit.apply(e, i);
            events.add(e);
        }
        return this;
    }

    Window add(int n) {
        return add(n, (e, i) -> {});
    }

    SegmentProfile profile() {
        SegmentProfile p = SegmentProfile.empty(model);
        events.forEach(e -> p.add(e, model));
        return p;
    }

    WindowProfile at(String segment, long windowStart, long windowEnd) {
        return new WindowProfile(model.name(), "v1", segment, windowStart, windowEnd, ProfileCodec.encode(profile()));
    }

    @FunctionalInterface
    interface EventEdit {
        void apply(InferenceEvent e, int index);
    }
}
