package dev.vigil.spec;

import java.io.Serializable;
import java.util.List;

/** What the model outputs: the expected labels and the expected range of scores or values. */
public record PredictionSpec(List<String> labels, Double scoreMin, Double scoreMax, Double valueMin, Double valueMax)
        implements Serializable {

    public static final PredictionSpec NONE = new PredictionSpec(List.of(), null, null, null, null);

    public PredictionSpec {
        labels = labels == null ? List.of() : List.copyOf(labels);
    }
}
