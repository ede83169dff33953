package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.results.Bootstrap;
import org.zoobench.experiments.results.Estimate;
import org.zoobench.experiments.results.Predictions;

import java.util.stream.DoubleStream;

/**
 * Inference-mode pass over a data set: mean cross-entropy, top-1 and top-5 answers per prediction, and the
 * inference throughput in examples per second with the first (warm-up) batch excluded (unless it is the only
 * one). A prediction is one example for a classifier, and one (sequence, step) pair for a per-step labeller
 * (output [batch, classes, steps]), where steps masked out by the labels mask are skipped. With at most 5
 * classes top-5 accuracy says nothing (every label is in the top 5): {@link #top5()} is NaN then. Top-1 is the
 * arg-max (a tie goes to the lowest class index); in top-5, ties count in the proportion a random tie-break gives
 * ({@link #topKHit}).
 */
public record Evaluation(double loss, double top1, double top5, Predictions predictions, double samplesPerSec) {

    private static final double MIN_PROBABILITY = 1e-12;
    private static final int TOP_K = 5;

    /** Top-1 accuracy in percent with its bootstrap interval over the predictions. */
    public Estimate top1Estimate(Bootstrap bootstrap) {
        return Estimate.percent(top1, bootstrap.accuracy(predictions.top1Hit()));
    }

    /** Top-5 accuracy in percent with its interval; null where there are at most 5 classes. */
    public Estimate top5Estimate(Bootstrap bootstrap) {
        return Double.isNaN(top5) ? null : Estimate.percent(top5, bootstrap.mean(predictions.top5Hit()));
    }

    public static Evaluation of(ComputationGraph net, DataSetIterator batches) {
        IntList labels = new IntList();
        IntList top1 = new IntList();
        DoubleStream.Builder top5Hit = DoubleStream.builder();
        double lossSum = 0;
        long timedSamples = 0;
        long timedNanos = 0;
        long warmUpSamples = 0;
        long warmUpNanos = 0;
        boolean warmUp = true;
        int classes = 0;
        batches.reset();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            long start = System.nanoTime();
            INDArray output = output(net, batch);
            float[][] probabilities = perPrediction(output);
            long nanos = System.nanoTime() - start;
            int n = batch.numExamples();
            if (warmUp) {
                warmUpSamples = n;
                warmUpNanos = nanos;
            } else {
                timedSamples += n;
                timedNanos += nanos;
            }
            warmUp = false;
            classes = (int) output.size(1);
            float[][] targets = perPrediction(batch.getLabels());
            float[] mask = stepMask(batch, output);
            for (int i = 0; i < probabilities.length; i++) {
                if (mask != null && mask[i] == 0) {
                    continue;
                }
                int label = argMax(targets[i]);
                float[] p = probabilities[i];
                lossSum -= Math.log(Math.max(p[label], MIN_PROBABILITY));
                labels.add(label);
                top1.add(argMax(p));
                top5Hit.add(topKHit(p, label, TOP_K));
            }
        }
        int n = labels.size();
        if (n == 0) {
            throw new IllegalStateException("evaluation set is empty");
        }
        double[] top5 = top5Hit.build().toArray();
        long hits1 = 0;
        for (int i = 0; i < n; i++) {
            hits1 += labels.get(i) == top1.get(i) ? 1 : 0;
        }
        Predictions predictions = new Predictions(labels.toArray(), top1.toArray(), top5);
        if (timedSamples == 0) { // a single batch: nothing to exclude
            timedSamples = warmUpSamples;
            timedNanos = warmUpNanos;
        }
        double throughput = timedSamples / (timedNanos / 1e9);
        double top5Accuracy = classes > TOP_K ? DoubleStream.of(top5).sum() / n : Double.NaN;
        return new Evaluation(lossSum / n, (double) hits1 / n, top5Accuracy, predictions, throughput);
    }

    private static INDArray output(ComputationGraph net, DataSet batch) {
        // ComputationGraph.batchSize() is the size of the labels it holds (the last fit's); preprocessors that
        // unfold [batch*time, f] to sequences (e.g. a max-over-time head) use it, so it must be this batch's.
        net.setLabels(batch.getLabels());
        if (batch.getFeaturesMaskArray() == null && batch.getLabelsMaskArray() == null) {
            return net.outputSingle(false, batch.getFeatures());
        }
        INDArray[] labelsMask = batch.getLabelsMaskArray() == null ? null : new INDArray[]{batch.getLabelsMaskArray()};
        INDArray[] featuresMask = batch.getFeaturesMaskArray() == null ? null
                : new INDArray[]{batch.getFeaturesMaskArray()};
        return net.output(false, new INDArray[]{batch.getFeatures()}, featuresMask, labelsMask)[0];
    }

    /** One row of class scores per prediction: [n, classes] as is, [n, classes, steps] as n*steps rows. */
    static float[][] perPrediction(INDArray scores) {
        if (scores.rank() == 2) {
            return scores.toFloatMatrix();
        }
        if (scores.rank() != 3) {
            throw new IllegalStateException("expected [batch, classes] or [batch, classes, steps] outputs, got "
                    + java.util.Arrays.toString(scores.shape()));
        }
        long n = scores.size(0);
        long classes = scores.size(1);
        long steps = scores.size(2);
        return scores.permute(0, 2, 1).dup('c').reshape('c', n * steps, classes).toFloatMatrix();
    }

    /** For per-step outputs, the labels mask flattened in the same (sequence, step) order; null if none. */
    private static float[] stepMask(DataSet batch, INDArray output) {
        INDArray mask = batch.getLabelsMaskArray();
        if (output.rank() != 3 || mask == null) {
            return null;
        }
        return mask.castTo(DataType.FLOAT).dup('c').reshape(new long[]{mask.length()})
                .toFloatVector();
    }

    static int argMax(float[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] > v[best]) {
                best = i;
            }
        }
        return best;
    }

    /**
     * Whether {@code label} is among the top {@code k} classes, counting ties fairly: as the chance that a random
     * tie-break puts it there. The label takes each of the ranks from (classes scoring higher) to (that plus the
     * classes tied with it) with equal chance. Saturated outputs (many classes at exactly 0) would otherwise put
     * every label in the top 5. A NaN score is a miss.
     */
    static double topKHit(float[] p, int label, int k) {
        if (Float.isNaN(p[label])) {
            return 0;
        }
        int higher = 0;
        int tied = 0;
        for (int c = 0; c < p.length; c++) {
            if (p[c] > p[label]) {
                higher++;
            } else if (p[c] == p[label] && c != label) {
                tied++;
            }
        }
        return Math.max(0, Math.min(1, (double) (k - higher) / (tied + 1)));
    }

    /** A growable int array, to avoid boxing 10,000s of answers. */
    private static final class IntList {
        private int[] values = new int[1024];
        private int size;

        void add(int v) {
            if (size == values.length) {
                values = java.util.Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int get(int i) {
            return values[i];
        }

        int size() {
            return size;
        }

        int[] toArray() {
            return java.util.Arrays.copyOf(values, size);
        }
    }
}
