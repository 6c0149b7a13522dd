package dev.vigil.spec;

import java.util.List;

/** A monitor spec that cannot be used; the message lists every problem with the model and field it concerns. */
public final class SpecException extends RuntimeException {
    private final List<String> problems;

    public SpecException(String source, List<String> problems) {
        super("Invalid monitor spec " + source + ":\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
