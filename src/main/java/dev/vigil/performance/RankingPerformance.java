package dev.vigil.performance;

import dev.vigil.feedback.Outcome;
import dev.vigil.spec.ModelTask;
import java.util.SortedMap;

/**
 * Ranking models: no ranking quality metric (NDCG, MRR...) yet, because an {@link Outcome}
 * carries one label per request, not the graded relevance of a ranked list. Label coverage and
 * label delay are still reported: they show whether the label pipeline works.
 */
final class RankingPerformance extends PerformanceAccumulator {
    @Override
    public ModelTask task() {
        return ModelTask.RANKING;
    }

    @Override
    void addGroundTruth(Outcome outcome) {}

    @Override
    void mergeGroundTruth(PerformanceAccumulator other) {}

    @Override
    public long evaluatedLabels() {
        return 0;
    }

    @Override
    void addQualityMetrics(SortedMap<String, Double> metrics) {}

    @Override
    void writeGroundTruth(CompactEncoding.Writer out) {}
}
