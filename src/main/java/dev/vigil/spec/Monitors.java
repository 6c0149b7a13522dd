package dev.vigil.spec;

import java.io.Serializable;

/** The optional detector sections of one model's spec; each is null when the spec leaves it out. */
public record Monitors(
        ServiceSpec service,
        ChecksSpec checks,
        TrafficSpec traffic,
        SilenceSpec silence,
        FeedbackSpec feedback,
        AdoptionSpec adoption,
        PerformanceSpec performance)
        implements Serializable {
    public static final Monitors NONE = new Monitors(null, null, null, null, null, null, null);
}
