package dev.vigil.spec;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The validated monitor spec: which models Vigil watches and how. Load it with {@link MonitorSpecLoader}. */
public final class MonitorSpec implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, ModelSpec> models = new LinkedHashMap<>();

    public MonitorSpec(List<ModelSpec> models) {
        models.forEach(m -> this.models.put(m.name(), m));
    }

    /** The model's spec, or {@code null} when the model is not monitored. */
    public ModelSpec model(String name) {
        return models.get(name);
    }

    public List<ModelSpec> models() {
        return List.copyOf(models.values());
    }
}
