package org.zoobench.experiments.data;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.zoobench.UserInputException;

import java.util.Arrays;
import java.util.Random;

/** A training set with a seeded random share held out for validation. */
public record ValidationSplit(DataSet train, DataSet validation) {

    /**
     * Holds out {@code round(fraction * n)} examples (at least one, leaving at least one) chosen by {@code seed};
     * both parts keep the original order of their examples.
     */
    public static ValidationSplit of(DataSet data, double fraction, long seed) {
        int n = data.numExamples();
        if (!(fraction > 0 && fraction < 1)) {
            throw new UserInputException("the validation fraction must lie strictly between 0 and 1, got " + fraction);
        }
        if (n < 2) {
            throw new UserInputException("cannot hold out a validation set from " + n + " training example(s)");
        }
        int held = Math.min(n - 1, Math.max(1, (int) Math.round(n * fraction)));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Subsets.shuffle(order, new Random(seed));
        int[] validation = Arrays.copyOf(order, held);
        int[] train = Arrays.copyOfRange(order, held, n);
        Arrays.sort(validation);
        Arrays.sort(train);
        return new ValidationSplit(rows(data, train), rows(data, validation));
    }

    private static DataSet rows(DataSet data, int[] rows) {
        return new DataSet(pick(data.getFeatures(), rows), pick(data.getLabels(), rows),
                pick(data.getFeaturesMaskArray(), rows), pick(data.getLabelsMaskArray(), rows));
    }

    private static INDArray pick(INDArray a, int[] rows) {
        if (a == null) {
            return null;
        }
        long[] idx = Arrays.stream(rows).asLongStream().toArray();
        return a.get(NDArrayIndex.indices(idx)).reshape(shapeWithFirst(a.shape(), rows.length)).dup();
    }

    private static long[] shapeWithFirst(long[] shape, int first) {
        long[] s = shape.clone();
        s[0] = first;
        return s;
    }
}
