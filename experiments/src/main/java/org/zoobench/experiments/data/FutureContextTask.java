package org.zoobench.experiments.data;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * A labelling task whose answer lies in the future (Schuster & Paliwal's reason for bidirectional RNNs).
 * Each step shows one of {@code symbols} symbols, one-hot, drawn uniformly at random; the label at step t is
 * the symbol shown {@code offset} steps later, {@code y_t = x_min(t+offset, T-1)} (steps near the end look at
 * the last one). A backward RNN has seen that symbol a few steps ago; a causal one has not seen it yet except
 * at the last step, so it can do no better than {@link #causalCeiling()}.
 *
 * @param symbols symbols per step (= features = classes)
 * @param length  steps per sequence, T
 * @param offset  how far ahead the label looks, k
 */
public record FutureContextTask(int symbols, int length, int offset) {

    /** The task the {@code future-context} data set and the {@code *-tagger} models are sized for. */
    public static final FutureContextTask DEFAULT = new FutureContextTask(4, 16, 3);

    static final int DEFAULT_TRAIN = 4000;
    static final int DEFAULT_TEST = 1000;

    public FutureContextTask {
        if (length < 1) {
            throw new UserInputException("sequence length must be at least 1 step, got " + length);
        }
        if (symbols < 2) {
            throw new UserInputException("the future-context task needs at least 2 symbols, got " + symbols);
        }
        if (offset < 1 || offset >= length) {
            throw new UserInputException("the look-ahead must be between 1 and length-1 = " + (length - 1)
                    + " steps, got " + offset);
        }
    }

    /**
     * The registered data set: {@link #DEFAULT} unless {@code options.shape()} is a sequence FxT (F symbols,
     * T steps, same look-ahead); {@code limit}/{@code testLimit} set the sizes (default 4000/1000).
     */
    public static LoadedDataset load(DataOptions options) {
        FutureContextTask task = DEFAULT;
        if (options.shape() != null) {
            if (!(options.shape() instanceof InputShape.Sequence shape)) {
                throw new UserInputException("future-context generates sequences: give the shape as FxT "
                        + "(symbols x steps, e.g. 4x16), not " + options.shape());
            }
            task = new FutureContextTask(shape.features(), shape.length(), Math.min(DEFAULT.offset, shape.length() - 1));
        }
        int train = options.limit() > 0 ? options.limit() : DEFAULT_TRAIN;
        int test = options.testLimit() > 0 ? options.testLimit() : DEFAULT_TEST;
        // features and labels, one-hot per step
        long values = 2L * task.symbols * task.length;
        GeneratedSize.check("future-context", "--limit", train, task.symbols + "x" + task.length, values);
        GeneratedSize.check("future-context", "--test-limit", test, task.symbols + "x" + task.length, values);
        return task.generate(train, test, options.seed());
    }

    /** Seeded train and test sets: features [n, symbols, length], labels [n, symbols, length]. */
    public LoadedDataset generate(int trainSize, int testSize, long seed) {
        Random random = new Random(seed);
        DataSet train = sequences(trainSize, random);
        DataSet test = sequences(testSize, random);
        List<String> classes = IntStream.range(0, symbols).mapToObj(s -> "symbol" + s).toList();
        return new LoadedDataset("future-context", train, test, InputShape.sequence(symbols, length), classes);
    }

    /** Best expected per-step accuracy of a model that sees only steps 0..t: it knows the label only at T-1. */
    public double causalCeiling() {
        return (1 + (length - 1) / (double) symbols) / length;
    }

    private DataSet sequences(int n, Random random) {
        INDArray features = Nd4j.zeros(DataType.FLOAT, n, symbols, length);
        INDArray labels = Nd4j.zeros(DataType.FLOAT, n, symbols, length);
        int[] shown = new int[length];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < length; t++) {
                shown[t] = random.nextInt(symbols);
                features.putScalar(new long[]{i, shown[t], t}, 1f);
            }
            for (int t = 0; t < length; t++) {
                labels.putScalar(new long[]{i, shown[Math.min(t + offset, length - 1)], t}, 1f);
            }
        }
        return new DataSet(features, labels);
    }
}
