package org.zoobench.zoo;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.zoo.profile.ModelProfile;

import java.util.Arrays;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model in the registry, whoever added it: it configures and profiles at its default input, the registry
 * finds its smallest legal input by shape inference (and calls the next size down too small, naming a layer), and
 * it runs a forward pass of two examples there. Models too big to initialise cheaply even at that input are
 * checked by shape inference alone, which keeps this test to seconds per model on two cores.
 */
class EveryRegisteredModelTest {

    /** Above these (at the smallest legal input) a forward pass costs seconds; shape inference covers them. */
    private static final long FORWARD_PARAM_BUDGET = 10_000_000;
    private static final long FORWARD_MAC_BUDGET = 500_000_000;

    @TestFactory
    Stream<DynamicTest> everyModel() {
        return ModelRegistry.all().stream().map(entry -> DynamicTest.dynamicTest(entry.name(), () -> check(entry)));
    }

    private static void check(ModelEntry entry) {
        ModelProfile atDefault = ModelProfile.of(entry, entry.defaultOptions());
        assertTrue(atDefault.trainableParams() > 0, "params");
        assertTrue(atDefault.macs() > 0, "MACs");
        assertTrue(atDefault.activationBytes() > 0, "activations");
        String classes = String.valueOf(entry.defaultClasses());
        assertTrue(atDefault.outputShape().equals(classes) || atDefault.outputShape().startsWith(classes + "x"),
                "output " + atDefault.outputShape() + " for " + classes + " classes");
        long tableSize = entry.configuration().getVertices().values().stream().mapToLong(v -> v.numParams(false)).sum();
        assertTrue(atDefault.trainableParams() <= tableSize, "trainable params are part of DL4J's parameter table");

        InputShape smallest = smallestLegalInput(entry);
        ModelOptions small = entry.defaultOptions().withInput(smallest);
        ModelProfile atSmallest = ModelProfile.of(entry, small);
        if (atSmallest.trainableParams() > FORWARD_PARAM_BUDGET || atSmallest.macs() > FORWARD_MAC_BUDGET) {
            return;
        }
        ComputationGraph net = entry.build(small);
        INDArray output = net.outputSingle(Nd4j.rand(small.dataType(), smallest.batchShape(2)));
        long[] expected = LongStream.concat(LongStream.of(2),
                Arrays.stream(atSmallest.outputShape().split("x")).mapToLong(Long::parseLong)).toArray();
        assertArrayEquals(expected, output.shape(), "forward pass at " + smallest);
        assertFalse(output.isNaN().any() || output.isInfinite().any(), "finite output");
    }

    /**
     * Shrinks the default input (height and width of an image together, the length of a sequence) to the smallest
     * size the registry accepts, by bisection on the shape inference; asserts one size smaller is refused as too
     * small, with the layer named.
     */
    static InputShape smallestLegalInput(ModelEntry entry) {
        InputShape def = entry.defaultInput();
        int hi = def instanceof InputShape.Sequence s ? s.length()
                : Math.min(((InputShape.Image) def).height(), ((InputShape.Image) def).width());
        int lo = 0; // sizes <= lo are illegal (0 always is), sizes >= hi legal
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (legal(entry, shrunk(def, mid))) {
                hi = mid;
            } else {
                lo = mid;
            }
        }
        if (lo > 0) {
            InputShape tooSmall = shrunk(def, lo);
            UserInputException refused = assertThrows(UserInputException.class,
                    () -> entry.configuration(entry.defaultOptions().withInput(tooSmall)));
            assertTrue(refused.getMessage().contains("too small") && refused.getMessage().contains("at layer '"),
                    refused.getMessage());
        }
        return shrunk(def, hi);
    }

    private static boolean legal(ModelEntry entry, InputShape input) {
        try {
            entry.configuration(entry.defaultOptions().withInput(input));
            return true;
        } catch (UserInputException e) {
            return false;
        }
    }

    /** The default input with its spatial size (or sequence length) set to {@code size}, aspect kept square. */
    private static InputShape shrunk(InputShape def, int size) {
        return def instanceof InputShape.Sequence s ? InputShape.sequence(s.features(), size)
                : InputShape.image(((InputShape.Image) def).channels(), size, size);
    }
}
