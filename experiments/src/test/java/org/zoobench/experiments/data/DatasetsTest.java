package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class DatasetsTest {

    @Test
    void unknownNameListsTheKnownOnes() {
        UserInputException e = assertThrows(UserInputException.class,
                () -> Datasets.load("fashion-mnits", DataOptions.defaults()));
        assertTrue(e.getMessage().contains("unknown dataset 'fashion-mnits'"), e.getMessage());
        for (String name : new String[]{"fashion-mnist", "mnist", "cifar10", "synthetic", "image-folder"}) {
            assertTrue(e.getMessage().contains(name), e.getMessage());
        }
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void realFashionMnistHasItsPublishedCounts() {
        Path dir = Path.of("/usr/share/datasets/fashion-mnist");
        assumeTrue(Files.isDirectory(dir), "Fashion-MNIST package not installed");
        LoadedDataset data = Datasets.load("fashion-mnist", DataOptions.defaults().withDownload(false));
        assertEquals(60000, data.train().numExamples());
        assertEquals(10000, data.test().numExamples());
        assertEquals(InputShape.image(1, 28, 28), data.shape());
        assertEquals(10, data.numClasses());
        assertArrayEquals(new long[]{60000, 1, 28, 28}, data.train().getFeatures().shape());
        INDArray f = data.train().getFeatures();
        assertEquals(0.0, f.minNumber().doubleValue(), 0.0);
        assertEquals(1.0, f.maxNumber().doubleValue(), 0.0);
        // one-hot labels, every class present 6000 times in the training set (balanced by construction)
        INDArray perClass = data.train().getLabels().sum(0);
        for (int c = 0; c < 10; c++) {
            assertEquals(6000, perClass.getDouble(c), 0.0);
        }
        assertEquals(10000, data.test().getLabels().sum(0).sumNumber().doubleValue(), 0.0);
    }

    @Test
    void syntheticIsSeededAndShaped() {
        DataOptions options = DataOptions.defaults().withShape(InputShape.image(3, 8, 8)).withLimit(50).withTestLimit(20);
        LoadedDataset a = Datasets.load("synthetic", options);
        LoadedDataset b = Datasets.load("synthetic", options);
        LoadedDataset c = Datasets.load("synthetic", options.withSeed(2));
        assertArrayEquals(new long[]{50, 3, 8, 8}, a.train().getFeatures().shape());
        assertArrayEquals(new long[]{20, 10}, a.test().getLabels().shape());
        assertEquals(a.train().getFeatures(), b.train().getFeatures());
        assertFalse(a.train().getFeatures().equals(c.train().getFeatures()));
    }
}
