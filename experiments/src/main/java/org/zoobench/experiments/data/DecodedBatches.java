package org.zoobench.experiments.data;

import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.experiments.data.ImageFolderStream.Crop;
import org.zoobench.experiments.data.ImageFolderStream.Item;
import org.zoobench.zoo.InputShape;

import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

/**
 * Batches of an {@link ImageFolderStream}, each decoded when asked for, its images in parallel. For training,
 * pass {@code e} (counting resets from 0) draws the order, the crops and the flips from the run's seed and
 * {@code e} alone, before any thread starts, so a run is repeatable whatever the number of cores.
 */
final class DecodedBatches implements DataSetIterator {

    private final ImageFolderStream stream;
    private final List<Item> items;
    private final InputShape input;
    private final int batchSize;
    private final long seed;
    private final boolean train;
    private final float[] mean;
    private final AtomicLong producedNanos;
    private final int[] order;
    private Random random;
    private int epoch;
    private int cursor;

    DecodedBatches(ImageFolderStream stream, List<Item> items, InputShape input, int batchSize, long seed,
                   boolean train, float[] mean, AtomicLong producedNanos) {
        this.stream = stream;
        this.items = items;
        this.input = input;
        this.batchSize = batchSize;
        this.seed = seed;
        this.train = train;
        this.mean = mean;
        this.producedNanos = producedNanos;
        this.order = new int[items.size()];
        arrange();
    }

    private void arrange() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        random = new Random(seed * 1_000_003L + epoch);
        if (train) {
            Subsets.shuffle(order, random);
        }
        cursor = 0;
    }

    @Override
    public boolean hasNext() {
        return cursor < order.length;
    }

    @Override
    public DataSet next() {
        return next(batchSize);
    }

    @Override
    public DataSet next(int num) {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        long start = System.nanoTime();
        int n = Math.min(num, order.length - cursor);
        Item[] batch = new Item[n];
        Crop[] crops = new Crop[n];
        for (int k = 0; k < n; k++) {
            batch[k] = items.get(order[cursor + k]);
            crops[k] = train ? new Crop(random.nextDouble(), random.nextDouble(), random.nextBoolean()) : Crop.CENTRE;
        }
        cursor += n;
        int size = Math.toIntExact(input.size());
        float[] features = new float[n * size];
        ImageFolderStream.run(() -> IntStream.range(0, n).parallel()
                .forEach(k -> ImageFolderStream.decode(batch[k].file(), input, mean, features, k * size, crops[k])));
        DataSet out = new DataSet(Nd4j.create(features, input.batchShape(n), 'c'), stream.labels(List.of(batch)));
        producedNanos.addAndGet(System.nanoTime() - start);
        return out;
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
    public boolean resetSupported() {
        return true;
    }

    @Override
    public boolean asyncSupported() {
        return true;
    }

    @Override
    public void reset() {
        epoch++;
        arrange();
    }

    @Override
    public int batch() {
        return batchSize;
    }

    @Override
    public void setPreProcessor(DataSetPreProcessor preProcessor) {
        throw new UnsupportedOperationException("ImageFolderStream already crops and centres");
    }

    @Override
    public DataSetPreProcessor getPreProcessor() {
        return null;
    }

    @Override
    public List<String> getLabels() {
        return stream.classes();
    }
}
