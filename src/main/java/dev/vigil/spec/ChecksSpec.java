package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.util.List;

/** TODO section of a model's spec. */
public record ChecksSpec() implements Serializable {
    static ChecksSpec read(JsonNode node, String at, List<FeatureSpec> features, PredictionSpec prediction, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        in.problem(at, "not supported yet");
        return null;
    }
}
