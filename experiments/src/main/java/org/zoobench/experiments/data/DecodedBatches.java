package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.experiments.data.ImageFolderStream.Crop;
import org.zoobench.experiments.data.ImageFolderStream.Item;
import org.zoobench.zoo.InputShape;

import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Batches of an {@link ImageFolderStream}, each decoded when asked for, its images in parallel. For training, pass
 * {@code e} (counting resets from 0) draws the order, the crops and the flips from the run's seed and {@code e}
 * alone, before any thread starts, so a run is repeatable whatever the number of cores.
 */
final class DecodedBatches extends OrderedBatches {

    private final ImageFolderStream stream;
    private final List<Item> items;
    private final InputShape.Image input;
    private final boolean train;
    private final float[] mean;

    DecodedBatches(ImageFolderStream stream, List<Item> items, InputShape.Image input, int batchSize, long seed,
                   boolean train, float[] mean, AtomicLong producedNanos) {
        super(items.size(), batchSize, train, seed, producedNanos, "ImageFolderStream already crops and centres");
        this.stream = stream;
        this.items = items;
        this.input = input;
        this.train = train;
        this.mean = mean;
    }

    @Override
    DataSet gather(int[] rows, Random random) {
        int n = rows.length;
        Item[] batch = new Item[n];
        Crop[] crops = new Crop[n];
        for (int k = 0; k < n; k++) {
            batch[k] = items.get(rows[k]);
            crops[k] = train ? new Crop(random.nextDouble(), random.nextDouble(), random.nextBoolean()) : Crop.CENTRE;
        }
        int size = Math.toIntExact(input.size());
        float[] features = new float[n * size];
        ImageFolderStream.run(() -> IntStream.range(0, n).parallel()
                .forEach(k -> ImageFolderStream.decode(batch[k].file(), input, mean, features, k * size, crops[k])));
        return new DataSet(Nd4j.create(features, input.batchShape(n), 'c'), stream.labels(List.of(batch)));
    }

    @Override
    public int inputColumns() {
        return Math.toIntExact(input.size());
    }

    @Override
    public int totalOutcomes() {
        return stream.classes().size();
    }

    @Override
    public List<String> getLabels() {
        return stream.classes();
    }
}
