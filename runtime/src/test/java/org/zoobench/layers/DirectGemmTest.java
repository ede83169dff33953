package org.zoobench.layers;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.Mmul;
import org.nd4j.linalg.api.blas.params.MMulTranspose;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** OpenBLAS called directly gives ND4J's own matmul results for every layout DL4J hands it. */
class DirectGemmTest {

    @AfterEach
    void restore() {
        DirectGemm.uninstall();
    }

    @Test
    void everyLayoutTransposeAndTypeMatchesNd4jsMatmul() {
        for (DataType type : new DataType[]{DataType.FLOAT, DataType.DOUBLE}) {
            for (char orderA : new char[]{'c', 'f'}) {
                for (char orderB : new char[]{'c', 'f'}) {
                    for (char orderC : new char[]{'c', 'f'}) {
                        for (boolean ta : new boolean[]{false, true}) {
                            for (boolean tb : new boolean[]{false, true}) {
                                check(type, orderA, orderB, orderC, ta, tb, false);
                                check(type, orderA, orderB, orderC, ta, tb, true);
                            }
                        }
                    }
                }
            }
        }
    }

    /** With {@code views}, every operand is a sub-matrix at a non-zero offset of a larger array, as parameter views are. */
    private static void check(DataType type, char orderA, char orderB, char orderC, boolean ta, boolean tb,
                              boolean views) {
        int m = 7;
        int n = 5;
        int k = 6;
        Nd4j.getRandom().setSeed(1);
        INDArray a = operand(type, orderA, ta ? k : m, ta ? m : k, views);
        INDArray b = operand(type, orderB, tb ? n : k, tb ? k : n, views);
        INDArray c = operand(type, orderC, m, n, views);
        INDArray expected = c.dup();
        Nd4j.exec(new Mmul(a, b, expected, 0.5, 2.0, MMulTranspose.builder().transposeA(ta).transposeB(tb).build()));
        DirectGemm.multiply(a, b, c, ta, tb, 0.5, 2.0);
        String what = type + " " + orderA + orderB + orderC + " ta=" + ta + " tb=" + tb + " views=" + views;
        assertTrue(expected.equalsWithEps(c, type == DataType.FLOAT ? 1e-5 : 1e-12), what + "\n" + expected + "\n" + c);
    }

    private static INDArray operand(DataType type, char order, int rows, int cols, boolean view) {
        if (!view) {
            return Nd4j.rand(type, order, rows, cols);
        }
        INDArray big = Nd4j.rand(type, order, rows + 3, cols + 2);
        return big.get(NDArrayIndex.interval(2, rows + 2), NDArrayIndex.interval(1, cols + 1));
    }

    @Test
    void onceInstalledLargeProductsGoThroughOpenBlas() {
        INDArray a = Nd4j.rand(DataType.FLOAT, 256, 128);
        INDArray b = Nd4j.rand(DataType.FLOAT, 128, 128); // 4.2M multiply-adds: above the threshold
        INDArray byNd4j = a.mmul(b);
        DirectGemm.install();
        assertTrue(Nd4j.factory().level3() instanceof DirectGemm);
        assertTrue(a.mmul(b).equalsWithEps(byNd4j, 1e-4));
        DirectGemm.uninstall();
        assertFalse(Nd4j.factory().level3() instanceof DirectGemm);
    }
}
