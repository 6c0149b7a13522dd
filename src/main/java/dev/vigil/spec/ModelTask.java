package dev.vigil.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** What a model predicts; decides which output statistics and performance metrics apply. */
public enum ModelTask {
    BINARY_CLASSIFICATION,
    MULTICLASS_CLASSIFICATION,
    REGRESSION,
    RANKING;

    public String specName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static Optional<ModelTask> fromSpecName(String text) {
        return Arrays.stream(values()).filter(t -> t.specName().equals(text)).findFirst();
    }
}
