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
 * ZooBench's nets against PyTorch's, function for function: PyTorch models with seeded random weights (BatchNorm
 * statistics included), exported as scripts/torchvision_to_npz.py exports them and imported into ZooBench's nets,
 * give the same logits for the same batch, in eval mode, within 1e-4 of the largest logit. torchvision's models
 * (the ImageNet input for the nets users run most, a smaller one for the deeper twins, whose layers are the same
 * blocks), and the PyTorch twins of ZooBench's own nets that the speed comparison runs
 * (benchmarks/peers/zoobench_peers.py).
 */
class PyTorchEquivalenceTest {

    private static final double TOLERANCE = 1e-4;
    private static final int CLASSES = 10;
    private static final int BATCH = 2;
    private static final String TORCHVISION = "torchvision";
    private static final String PEER = "peer";
    /** Where the PyTorch model comes from, ZooBench's name, PyTorch's name, the input. */
    private static final String[][] MODELS = {
            {TORCHVISION, "alexnet", "alexnet", "3x224x224"},
            {TORCHVISION, "googlenet-torchvision", "googlenet", "3x224x224"},
            {TORCHVISION, "resnet18", "resnet18", "3x224x224"},
            {TORCHVISION, "resnet50", "resnet50", "3x224x224"},
            {TORCHVISION, "densenet121", "densenet121", "3x224x224"},
            {TORCHVISION, "resnet34", "resnet34", "3x64x64"},
            {TORCHVISION, "resnet101", "resnet101", "3x64x64"},
            {TORCHVISION, "resnet152", "resnet152", "3x64x64"},
            {TORCHVISION, "densenet161", "densenet161", "3x64x64"},
            {TORCHVISION, "densenet169", "densenet169", "3x64x64"},
            {TORCHVISION, "densenet201", "densenet201", "3x64x64"},
            {PEER, "lenet5", "lenet5", "1x28x28"},
            {PEER, "alexnet-mini", "alexnet-mini", "1x28x28"},
            {PEER, "resnet20", "resnet20", "3x32x32"},
            {PEER, "bilstm-max", "bilstm-max", "28x28"},
    };

    @TempDir
    static Path fixtures;

    @BeforeAll
    static void exportFromPyTorch() throws Exception {
        PyTorch.require();
        List<String> args = new ArrayList<>(List.of(fixtures.toString(), String.valueOf(CLASSES),
                String.valueOf(BATCH)));
        for (String[] model : MODELS) {
            args.add(String.join(":", model[0], model[2], model[3]));
        }
        PyTorch.run("src/test/python/pytorch_fixtures.py", args);
    }

    static Stream<Arguments> models() {
        return Arrays.stream(MODELS).map(m -> Arguments.of((Object[]) m));
    }

    @ParameterizedTest(name = "{1} ({0}) at {3}")
    @MethodSource("models")
    void importedNetGivesPyTorchsLogits(String source, String model, String torchName, String input) {
        String file = source.equals(PEER) ? "peer-" + torchName : torchName;
        Map<String, INDArray> weights = Npy.readNpz(fixtures.resolve(file + ".npz"));
        InputShape shape = InputShape.parse(input);
        ComputationGraph net = source.equals(PEER)
                ? TorchvisionWeights.loadPeer(model, weights, file + ".npz", shape)
                : TorchvisionWeights.load(model, weights, file + ".npz", shape);
        INDArray expected = Npy.read(fixtures.resolve(file + "-logits.npy"));
        INDArray logits = Logits.of(net, Npy.read(fixtures.resolve(file + "-input.npy")));
        assertArrayEquals(expected.shape(), logits.shape());
        double scale = expected.amaxNumber().doubleValue();
        double error = logits.sub(expected).amaxNumber().doubleValue() / scale;
        assertTrue(error <= TOLERANCE, () -> String.format("%s: largest difference %.3g of the largest logit %.4g"
                + "%nZooBench: %s%nPyTorch:  %s", model, error, scale, logits, expected));
    }
}
