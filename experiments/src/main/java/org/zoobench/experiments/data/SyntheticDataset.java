package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.InputShape;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Seeded random images for smoke runs: each class has a fixed random prototype image and every example is
 * half its class's prototype, half uniform noise, so a model can learn the classes but not in one step.
 * Shape from {@link DataOptions#shape()} (default 1x28x28); sizes from the limits (default 2000 train, 500 test).
 */
final class SyntheticDataset {

    static final int CLASSES = 10;
    static final int DEFAULT_TRAIN = 2000;
    static final int DEFAULT_TEST = 500;
    static final InputShape DEFAULT_SHAPE = InputShape.image(1, 28, 28);
    private static final float SIGNAL = 0.5f;

    private SyntheticDataset() {
    }

    static LoadedDataset load(DataOptions options) {
        InputShape shape = options.shape() != null ? options.shape() : DEFAULT_SHAPE;
        int size = Math.toIntExact(shape.size());
        Random random = new Random(options.seed());
        float[][] prototypes = new float[CLASSES][size];
        for (float[] prototype : prototypes) {
            for (int p = 0; p < size; p++) {
                prototype[p] = random.nextFloat();
            }
        }
        int trainSize = options.limit() > 0 ? options.limit() : DEFAULT_TRAIN;
        int testSize = options.testLimit() > 0 ? options.testLimit() : DEFAULT_TEST;
        GeneratedSize.check("synthetic", "--limit", trainSize, shape.toString(), size + CLASSES);
        GeneratedSize.check("synthetic", "--test-limit", testSize, shape.toString(), size + CLASSES);
        DataSet train = generate(trainSize, shape, prototypes, random);
        DataSet test = generate(testSize, shape, prototypes, random);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < CLASSES; c++) {
            names.add("class-" + c);
        }
        return new LoadedDataset("synthetic", train, test, shape, names);
    }

    private static DataSet generate(int n, InputShape shape, float[][] prototypes, Random random) {
        int size = prototypes[0].length;
        float[] features = new float[n * size];
        float[] labels = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            int label = random.nextInt(CLASSES);
            labels[i * CLASSES + label] = 1f;
            for (int p = 0; p < size; p++) {
                features[i * size + p] = SIGNAL * prototypes[label][p] + (1 - SIGNAL) * random.nextFloat();
            }
        }
        return new DataSet(Nd4j.create(features, shape.batchShape(n), 'c'),
                Nd4j.create(labels, new long[]{n, CLASSES}, 'c'));
    }
}
