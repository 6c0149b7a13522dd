package dev.vigil.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.Serializable;
import java.time.Duration;

/** TODO section of a model's spec. */
public record TrafficSpec() implements Serializable {
    static TrafficSpec read(JsonNode node, String at, Duration modelWindow, MonitorSpecLoader in) {
        if (node.isMissingNode()) return null;
        in.problem(at, "not supported yet");
        return null;
    }
}
