package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;

/** TODO section of a model's spec. */
public record PerformanceSpec() implements Serializable {
    static PerformanceSpec read(JsonNode node, String at, ModelTask task, PredictionSpec prediction, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        in.problem(at, "not supported yet");
        return null;
    }
}
