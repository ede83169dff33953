package org.zoobench.torchvision;

import org.deeplearning4j.nn.graph.ComputationGraph;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.weights.Logits;
import org.zoobench.zoo.weights.Npy;
import org.zoobench.zoo.weights.TorchvisionWeights;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * torchvision's models with seeded random weights (BatchNorm statistics included), exported as
 * scripts/torchvision_to_npz.py exports them, imported into ZooBench's nets: the same batch gives the same logits,
 * in eval mode, within 1e-4 of the largest logit. The ImageNet input for the nets users run most, a smaller one for
 * the deeper twins (whose layers are the same blocks).
 */
class TorchvisionEquivalenceTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CLASSES = 10;
    private static final int BATCH = 2;
    /** ZooBench's name, torchvision's name, the input. */
    private static final String[][] MODELS = {
            {"alexnet", "alexnet", "3x224x224"},
            {"googlenet-torchvision", "googlenet", "3x224x224"},
            {"resnet18", "resnet18", "3x224x224"},
            {"resnet50", "resnet50", "3x224x224"},
            {"densenet121", "densenet121", "3x224x224"},
            {"resnet34", "resnet34", "3x64x64"},
            {"resnet101", "resnet101", "3x64x64"},
            {"resnet152", "resnet152", "3x64x64"},
            {"densenet161", "densenet161", "3x64x64"},
            {"densenet169", "densenet169", "3x64x64"},
            {"densenet201", "densenet201", "3x64x64"},
    };

    @TempDir
    static Path fixtures;

    @BeforeAll
    static void exportFromTorchvision() throws Exception {
        PyTorch.require();
        List<String> args = new ArrayList<>(List.of(fixtures.toString(), String.valueOf(CLASSES),
                String.valueOf(BATCH)));
        for (String[] model : MODELS) {
            args.add(model[1] + ":" + model[2]);
        }
        PyTorch.run("src/test/python/torchvision_fixtures.py", args);
    }

    static Stream<Arguments> models() {
        return Arrays.stream(MODELS).map(m -> Arguments.of((Object[]) m));
    }

    @ParameterizedTest(name = "{0} at {2}")
    @MethodSource("models")
    void importedNetGivesTorchvisionsLogits(String model, String torchName, String input) {
        Map<String, INDArray> weights = Npy.readNpz(fixtures.resolve(torchName + ".npz"));
        ComputationGraph net = TorchvisionWeights.load(model, weights, torchName + ".npz", InputShape.parse(input));
        INDArray expected = Npy.read(fixtures.resolve(torchName + "-logits.npy"));
        INDArray logits = Logits.of(net, Npy.read(fixtures.resolve(torchName + "-input.npy")));
        assertArrayEquals(expected.shape(), logits.shape());
        double scale = expected.amaxNumber().doubleValue();
        double error = logits.sub(expected).amaxNumber().doubleValue() / scale;
        assertTrue(error <= TOLERANCE, () -> String.format("%s: largest difference %.3g of the largest logit %.4g"
                + "%nZooBench:    %s%ntorchvision: %s", model, error, scale, logits, expected));
    }
}
