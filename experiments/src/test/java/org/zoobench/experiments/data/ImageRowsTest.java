package org.zoobench.experiments.data;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ImageRowsTest {

    @Test
    void stepHIsImageRowH() {
        // 2 images of 3 rows x 4 columns with pixel value 100*n + 10*row + column.
        INDArray images = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 2, 1, 3, 4);
        for (int n = 0; n < 2; n++) {
            for (int h = 0; h < 3; h++) {
                for (int w = 0; w < 4; w++) {
                    images.putScalar(new long[]{n, 0, h, w}, 100 * n + 10 * h + w);
                }
            }
        }
        INDArray labels = Nd4j.eye(2);
        DataSet set = new DataSet(images, labels);
        LoadedDataset rows = ImageRows.asSequences(
                new LoadedDataset("tiny", set, set, InputShape.image(1, 3, 4), List.of("a", "b")), "tiny-rows");

        INDArray seq = rows.train().getFeatures();
        assertArrayEquals(new long[]{2, 4, 3}, seq.shape());
        assertEquals(InputShape.sequence(4, 3), rows.shape());
        for (int n = 0; n < 2; n++) {
            for (int h = 0; h < 3; h++) {
                for (int w = 0; w < 4; w++) {
                    assertEquals(100 * n + 10 * h + w, seq.getFloat(n, w, h), 0f);
                }
            }
        }
        assertEquals(labels, rows.train().getLabels());
        assertEquals(List.of("a", "b"), rows.classNames());
    }

    @Test
    void colourRowsPutTheChannelsOfARowSideBySide() {
        INDArray images = Nd4j.create(DataType.FLOAT, 1, 3, 2, 2);
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 2; w++) {
                    images.putScalar(new long[]{0, c, h, w}, 100 * c + 10 * h + w);
                }
            }
        }
        DataSet set = new DataSet(images, Nd4j.ones(1, 1));
        LoadedDataset rows = ImageRows.asSequences(
                new LoadedDataset("rgb", set, set, InputShape.image(3, 2, 2), List.of("x")), "rgb-rows");
        assertEquals(InputShape.sequence(6, 2), rows.shape());
        INDArray seq = rows.train().getFeatures();
        for (int c = 0; c < 3; c++) {
            for (int h = 0; h < 2; h++) {
                for (int w = 0; w < 2; w++) {
                    assertEquals(100 * c + 10 * h + w, seq.getFloat(0, c * 2 + w, h), 0f);
                }
            }
        }
        DataSet seqs = new DataSet(Nd4j.zeros(1, 2, 3), Nd4j.ones(1, 1));
        LoadedDataset sequences = new LoadedDataset("s", seqs, seqs, InputShape.sequence(2, 3), List.of("x"));
        assertThrows(UserInputException.class, () -> ImageRows.asSequences(sequences, "s-rows"));
    }

    @Test
    void anyImageDataSetCanBeReadAsRows() {
        assertEquals("cifar10-rows", Datasets.get("cifar10-rows").name());
        assertThrows(UserInputException.class, () -> Datasets.get("nonsense-rows"));
    }

    @Test
    void fashionMnistRowsIsRegistered() {
        assertEquals("fashion-mnist-rows", Datasets.get("fashion-mnist-rows").name());
    }
}
