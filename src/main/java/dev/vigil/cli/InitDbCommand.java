package dev.vigil.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "init-db", mixinStandardHelpOptions = true, description = "TODO")
public final class InitDbCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new UnsupportedOperationException("not yet");
    }
}
