package org.zoobench.experiments.report;

import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.Interval;
import org.zoobench.experiments.results.Predictions;
import org.zoobench.experiments.results.RunRecord;
import org.zoobench.experiments.results.Statistics;

import java.util.List;
import java.util.function.Function;

/**
 * The runs of one model (or variant) over several seeds: mean ± sample standard deviation of top-1 and top-5
 * over seeds, and a pooled interval: the bootstrap over test examples of the seed-averaged hit rate, which
 * counts each test example once however many seeds saw it.
 *
 * @param perExampleTop1 per test example, the fraction of seeds that got it right (for paired comparisons)
 */
public record SeedSummary(String group, List<RunRecord> runs, int diverged, double top1Mean, double top1Std,
                          Estimate top1Pooled, double top5Mean, double top5Std, double[] perExampleTop1) {

    public static SeedSummary of(String group, List<RunRecord> runs, Function<String, Predictions> predictions,
                                 Bootstrap bootstrap) {
        List<RunRecord> finished = runs.stream().filter(r -> !r.diverged()).toList();
        int diverged = runs.size() - finished.size();
        if (finished.isEmpty()) {
            return new SeedSummary(group, runs, diverged, Double.NaN, Double.NaN, null, Double.NaN, Double.NaN, null);
        }
        double[] top1 = finished.stream().mapToDouble(r -> r.top1().value()).toArray();
        double[] top5 = finished.stream().filter(r -> r.top5() != null).mapToDouble(r -> r.top5().value()).toArray();
        double[] perExample = null;
        for (RunRecord r : finished) {
            boolean[] hits = predictions.apply(r.runId()).top1Hit();
            if (perExample == null) {
                perExample = new double[hits.length];
            }
            if (hits.length != perExample.length) {
                throw new IllegalStateException("runs of " + group + " were tested on different test sets");
            }
            for (int i = 0; i < hits.length; i++) {
                perExample[i] += (hits[i] ? 1.0 : 0.0) / finished.size();
            }
        }
        Interval pooled = bootstrap.mean(perExample);
        Estimate pooledTop1 = Estimate.percent(Statistics.mean(perExample), pooled);
        return new SeedSummary(group, runs, diverged, Statistics.mean(top1), Statistics.std(top1), pooledTop1,
                Statistics.mean(top5), Statistics.std(top5), perExample);
    }

    public RunRecord first() {
        return runs.get(0);
    }

    public int finished() {
        return runs.size() - diverged;
    }
}
