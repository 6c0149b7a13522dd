package dev.vigil.bench;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

/** Gives split {@code i} to reader {@code i}, like one Kafka partition per subtask, then signals the end. */
final class BenchSplitEnumerator implements SplitEnumerator<BenchSplit, List<BenchSplit>> {
    private final SplitEnumeratorContext<BenchSplit> context;
    private final List<BenchSplit> unassigned;

    BenchSplitEnumerator(SplitEnumeratorContext<BenchSplit> context, List<BenchSplit> unassigned) {
        this.context = context;
        this.unassigned = new ArrayList<>(unassigned);
    }

    @Override
    public void start() {}

    @Override
    public void handleSplitRequest(int subtaskId, String requesterHostname) {}

    @Override
    public void addSplitsBack(List<BenchSplit> splits, int subtaskId) {
        unassigned.addAll(splits);
        if (context.registeredReaders().containsKey(subtaskId)) assign(subtaskId);
    }

    @Override
    public void addReader(int subtaskId) {
        assign(subtaskId);
    }

    private void assign(int subtaskId) {
        int parallelism = context.currentParallelism();
        for (Iterator<BenchSplit> it = unassigned.iterator(); it.hasNext(); ) {
            BenchSplit s = it.next();
            if (s.partition % parallelism == subtaskId) {
                context.assignSplit(s, subtaskId);
                it.remove();
            }
        }
        context.signalNoMoreSplits(subtaskId);
    }

    @Override
    public List<BenchSplit> snapshotState(long checkpointId) {
        List<BenchSplit> copy = new ArrayList<>();
        for (BenchSplit s : unassigned) copy.add(s.copy());
        return copy;
    }

    @Override
    public void close() {}
}
