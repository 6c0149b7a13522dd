package dev.vigil.drift;

import dev.vigil.profile.SegmentProfile;
import java.io.Serializable;
import java.util.Map;

/** Where stored baselines come from: per segment, the reference profile of a model under a baseline name. */
public interface ReferenceStore extends Serializable {
    /** The baseline's profiles by segment ({@code all}, {@code country=DE}...); empty when there is none. */
    Map<String, SegmentProfile> load(String baseline, String model) throws Exception;

    /** For jobs whose spec uses trailing references only. */
    ReferenceStore NONE = (baseline, model) -> Map.of();
}
