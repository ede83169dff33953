package org.zoobench.experiments.runner;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.zoobench.experiments.results.Predictions;

/**
 * Inference-mode pass over a data set: mean cross-entropy, top-1 and top-5 answers per example, and the
 * inference throughput with the first (warm-up) batch excluded (unless it is the only one).
 */
public record Evaluation(double loss, double top1, double top5, Predictions predictions, double samplesPerSec) {

    private static final double MIN_PROBABILITY = 1e-12;
    private static final int TOP_K = 5;

    public static Evaluation of(ComputationGraph net, DataSetIterator batches) {
        IntList labels = new IntList();
        IntList top1 = new IntList();
        IntList top5Hit = new IntList();
        double lossSum = 0;
        long timedSamples = 0;
        long timedNanos = 0;
        long warmUpSamples = 0;
        long warmUpNanos = 0;
        boolean warmUp = true;
        batches.reset();
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            long start = System.nanoTime();
            INDArray output = net.outputSingle(false, batch.getFeatures());
            float[][] probabilities = output.toFloatMatrix();
            long nanos = System.nanoTime() - start;
            int n = probabilities.length;
            if (warmUp) {
                warmUpSamples = n;
                warmUpNanos = nanos;
            } else {
                timedSamples += n;
                timedNanos += nanos;
            }
            warmUp = false;
            float[][] targets = batch.getLabels().toFloatMatrix();
            for (int i = 0; i < n; i++) {
                int label = argMax(targets[i]);
                float[] p = probabilities[i];
                lossSum -= Math.log(Math.max(p[label], MIN_PROBABILITY));
                labels.add(label);
                top1.add(argMax(p));
                top5Hit.add(rankOf(p, label) < TOP_K ? 1 : 0);
            }
        }
        int n = labels.size();
        if (n == 0) {
            throw new IllegalStateException("evaluation set is empty");
        }
        boolean[] top5 = new boolean[n];
        long hits1 = 0;
        long hits5 = 0;
        for (int i = 0; i < n; i++) {
            top5[i] = top5Hit.get(i) == 1;
            hits1 += labels.get(i) == top1.get(i) ? 1 : 0;
            hits5 += top5[i] ? 1 : 0;
        }
        Predictions predictions = new Predictions(labels.toArray(), top1.toArray(), top5);
        if (timedSamples == 0) { // a single batch: nothing to exclude
            timedSamples = warmUpSamples;
            timedNanos = warmUpNanos;
        }
        double throughput = timedSamples / (timedNanos / 1e9);
        return new Evaluation(lossSum / n, (double) hits1 / n, (double) hits5 / n, predictions, throughput);
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

    /** How many classes score strictly higher than {@code label} (0 = top-1). Ties go in the label's favour. */
    static int rankOf(float[] p, int label) {
        int higher = 0;
        for (float v : p) {
            if (v > p[label]) {
                higher++;
            }
        }
        return higher;
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
