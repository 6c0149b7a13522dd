package dev.vigil.traffic;

import dev.vigil.profile.ProfileUpdate;
import dev.vigil.profile.WindowKey;
import dev.vigil.spec.ModelSpec;
import dev.vigil.spec.MonitorSpec;
import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * Evidence that a model's events reached the job: one per partial profile of its all-traffic
 * segment, as the fold operator hands partials over (window close, every checkpoint, idleness,
 * end of input). Carries no sketch bytes, so following every model's activity costs a few bytes
 * per window and checkpoint. A Flink POJO.
 */
public class ModelActivity {
    public String model;
    public String modelVersion;
    /** The window the events fell in, UTC epoch ms: the model had traffic before {@code windowEnd}. */
    public long windowStart;
    public long windowEnd;

    public ModelActivity() {}

    public ModelActivity(String model, String modelVersion, long windowStart, long windowEnd) {
        this.model = model;
        this.modelVersion = modelVersion;
        this.windowStart = windowStart;
        this.windowEnd = windowEnd;
    }

    /** Keeps the partials of the all-traffic segment of models with silence detection, as activity. */
    public static final class FromPartials implements FlatMapFunction<ProfileUpdate, ModelActivity> {
        private static final long serialVersionUID = 1L;
        private final MonitorSpec spec;

        public FromPartials(MonitorSpec spec) {
            this.spec = spec;
        }

        @Override
        public void flatMap(ProfileUpdate update, Collector<ModelActivity> out) {
            WindowKey k = update.key;
            if (!k.dimension.equals(WindowKey.ALL)) return;
            ModelSpec model = spec.model(k.model);
            if (model == null || model.silence() == null) return;
            out.collect(new ModelActivity(k.model, k.modelVersion, k.windowStart, k.windowEnd));
        }
    }

    @Override
    public String toString() {
        return model + "/" + modelVersion + " [" + windowStart + ", " + windowEnd + ")";
    }
}
