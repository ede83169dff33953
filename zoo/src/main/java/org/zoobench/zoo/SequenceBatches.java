package org.zoobench.zoo;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.UserInputException;

import java.util.Arrays;

/**
 * Checks a batch of sequences against what a recurrent model reads, before DL4J turns a mismatch into an
 * opaque native error. Sequences may be shorter or longer than the model's nominal length (recurrent layers
 * take any length); the number of features per step must match exactly.
 */
public final class SequenceBatches {

    private SequenceBatches() {
    }

    /**
     * @param model    the model's input shape (a sequence shape)
     * @param features [batch, features, time]
     * @param mask     null, or [batch, time] with 1 for real steps and 0 for padding
     */
    public static void check(InputShape.Sequence model, INDArray features, INDArray mask) {
        long[] shape = features.shape();
        if (shape.length != 3) {
            throw new UserInputException("a sequence batch must be [batch, features, time], got shape "
                    + Arrays.toString(shape));
        }
        if (shape[2] == 0) {
            throw new UserInputException("sequence length is 0: every sequence needs at least one time step");
        }
        if (shape[1] != model.features()) {
            throw new UserInputException("the data has " + shape[1] + " features per step but the model reads "
                    + model.features() + " (input " + model + ")");
        }
        if (mask != null && !Arrays.equals(mask.shape(), new long[]{shape[0], shape[2]})) {
            throw new UserInputException("the mask has shape " + Arrays.toString(mask.shape())
                    + " but this batch needs [batch, time] = [" + shape[0] + ", " + shape[2] + "]");
        }
    }
}
