package dev.vigil.cli;

import dev.vigil.spec.DurationText;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads durations such as 500ms, 30s, 5m, 6h, 7d. */
public final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return DurationText.parse(value);
    }
}
