package org.zoobench.experiments.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.DataSet;
import org.zoobench.UserInputException;
import org.zoobench.experiments.results.Augmentation;
import org.zoobench.zoo.InputShape;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches of a {@link LoadedDataset} shaped for one model. Typical use:
 * <pre>{@code
 * DataPipeline pipeline = DataPipeline.builder(data, modelInput).batchSize(64).seed(seed)
 *         .validationFraction(0.1).build();
 * try (PipelineIterator train = pipeline.train(); PipelineIterator test = pipeline.test()) {
 *     for (int epoch = 0; epoch < epochs; epoch++) {
 *         LoadingStats before = train.stats();
 *         model.fit(train);                                  // fit resets it for the next epoch
 *         double dataShare = train.stats().minus(before).waitShare();
 *     }
 *     model.evaluate(test);
 * }
 * }</pre>
 * Each batch is gathered from the in-memory data set, converted to the model's channels (grey copied to 3
 * channels, colour to grey by luminance), resized to its height and width ({@link Resize}), normalised per
 * channel with the mean and std of the training split (after the validation hold-out), and cast to the model's
 * data type; training batches, and only they, may also be randomly cropped and flipped ({@link Augmentation}).
 * Training batches come in a seeded order that changes every epoch; validation and test batches in
 * file order. Batches are prepared on a background thread ({@link #prefetch} batches ahead) so training does
 * not wait on them; {@link PipelineIterator#stats()} says how far that holds.
 */
public final class DataPipeline {

    /** Why its iterators take no pre-processor. */
    static final String PREPARED = "DataPipeline already normalises; add transforms there";

    /** How images reach the model's height and width. */
    public enum Resize {
        /** Bilinear interpolation, half-pixel centres; up or down. */
        BILINEAR,
        /** Zero padding around the centre (e.g. 28x28 Fashion-MNIST into 32x32 CIFAR-style nets); never shrinks. */
        PAD
    }

    private final LoadedDataset data;
    private final InputShape input;
    private final int batchSize;
    private final long seed;
    private final int prefetch;
    private final DataSet train;
    private final DataSet validation;
    private final BatchTransform transform;
    /** The training batches' transform: {@link #transform} plus the crops and flips, if any. */
    private final BatchTransform trainTransform;
    private final Normalization normalization;

    private DataPipeline(Builder b) {
        this.data = b.data;
        this.input = b.input;
        this.batchSize = b.batchSize;
        this.seed = b.seed;
        this.prefetch = b.prefetch;
        if (b.validationFraction > 0) {
            ValidationSplit split = ValidationSplit.of(b.data.train(), b.validationFraction, b.seed);
            this.train = split.train();
            this.validation = split.validation();
        } else {
            this.train = b.data.train();
            this.validation = null;
        }
        // Only images are normalised; a sequence model given images is refused by the transform below.
        this.normalization = b.normalize && data.shape() instanceof InputShape.Image from
                && input instanceof InputShape.Image to ? measure(b, from, to) : null;
        this.transform = new BatchTransform(data.shape(), input, b.resize, normalization, b.dataType);
        this.trainTransform = b.augmentation == null ? transform
                : new BatchTransform(data.shape(), input, b.resize, normalization, b.dataType, b.augmentation);
    }

    /** Channel statistics of the training split as the model sees it (grey copied to colour shares one). */
    private Normalization measure(Builder b, InputShape.Image from, InputShape.Image to) {
        if (from.channels() == 1 && to.channels() == 3) {
            return Normalization.measure(train.getFeatures()).replicate(3);
        }
        if (from.channels() == to.channels()) {
            return Normalization.measure(train.getFeatures());
        }
        BatchTransform channelsOnly = new BatchTransform(data.shape(), input, b.resize, null, b.dataType);
        return Normalization.measure(channelsOnly.convertChannels(train.getFeatures().castTo(DataType.FLOAT).dup('c')));
    }

    public static Builder builder(LoadedDataset data, InputShape modelInput) {
        return new Builder(data, modelInput);
    }

    /** Training batches, reshuffled (seeded) on every reset, cropped and flipped if the pipeline augments. */
    public PipelineIterator train() {
        return iterator(train, true, trainTransform);
    }

    /** Validation batches in order; only when a validation fraction was set. */
    public PipelineIterator validation() {
        if (validation == null) {
            throw new IllegalStateException("no validation split: set DataPipeline.Builder.validationFraction");
        }
        return iterator(validation, false, transform);
    }

    /** Test batches in order. */
    public PipelineIterator test() {
        return iterator(data.test(), false, transform);
    }

    public boolean hasValidation() {
        return validation != null;
    }

    /** Examples in the training split (after the validation hold-out). */
    public int trainSize() {
        return train.numExamples();
    }

    public int validationSize() {
        return validation == null ? 0 : validation.numExamples();
    }

    public int testSize() {
        return data.test().numExamples();
    }

    /** The statistics batches are normalised with, in the model's channels; {@code null} if not normalising. */
    public Normalization normalization() {
        return normalization;
    }

    public InputShape input() {
        return input;
    }

    public int batchSize() {
        return batchSize;
    }

    private PipelineIterator iterator(DataSet split, boolean shuffle, BatchTransform batchTransform) {
        AtomicLong produced = new AtomicLong();
        ShuffledBatches batches = new ShuffledBatches(split, batchSize, shuffle, seed, batchTransform,
                Math.toIntExact(input.size()), data.classNames(), produced);
        return new PipelineIterator(batches, prefetch, produced, split.numExamples());
    }

    /** Options of a {@link DataPipeline}; defaults: batch 64, seed 1, prefetch 4, bilinear, normalised, float. */
    public static final class Builder {
        private final LoadedDataset data;
        private final InputShape input;
        private int batchSize = 64;
        private long seed = 1;
        private int prefetch = 4;
        private double validationFraction;
        private Resize resize = Resize.BILINEAR;
        private boolean normalize = true;
        private DataType dataType = DataType.FLOAT;
        private Augmentation augmentation;

        private Builder(LoadedDataset data, InputShape input) {
            this.data = data;
            this.input = input;
        }

        public Builder batchSize(int batchSize) {
            if (batchSize <= 0) {
                throw new UserInputException("batch size must be positive, got " + batchSize);
            }
            this.batchSize = batchSize;
            return this;
        }

        /** Seed of the training order and of the validation hold-out. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Batches prepared ahead on a background thread; 0 prepares each on demand in the caller's thread. */
        public Builder prefetch(int batches) {
            if (batches < 0) {
                throw new IllegalArgumentException("prefetch cannot be negative: " + batches);
            }
            this.prefetch = batches;
            return this;
        }

        /** Share of the training set held out for validation; 0 (the default) holds out nothing. */
        public Builder validationFraction(double fraction) {
            if (fraction != 0 && !(fraction > 0 && fraction < 1)) {
                throw new UserInputException("the validation fraction must lie in [0, 1), got " + fraction);
            }
            this.validationFraction = fraction;
            return this;
        }

        public Builder resize(Resize resize) {
            this.resize = resize;
            return this;
        }

        /** Whether to standardise each channel with the training split's mean and std (default yes). */
        public Builder normalize(boolean normalize) {
            this.normalize = normalize;
            return this;
        }

        /** Data type of the batches, the model's (default float). */
        public Builder dataType(DataType dataType) {
            this.dataType = dataType;
            return this;
        }

        /** Random crops and flips of the training batches (null, the default: whole images). */
        public Builder augmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        public DataPipeline build() {
            return new DataPipeline(this);
        }
    }
}
