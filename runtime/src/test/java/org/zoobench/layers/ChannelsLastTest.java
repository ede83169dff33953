package org.zoobench.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ChannelsLastTest {

    private static final LayerWorkspaceMgr NO_WORKSPACES = LayerWorkspaceMgr.noWorkspaces();

    private static INDArray counting(long... shape) {
        return Nd4j.arange(shape[0] * shape[1] * shape[2] * shape[3]).castTo(DataType.FLOAT).reshape(shape);
    }

    @Test
    void anArrayHeldChannelsLastHasTheNchwShapeAndValuesOfItsSource() {
        INDArray nchw = counting(2, 3, 4, 5);
        INDArray held = ChannelsLast.held(nchw, NO_WORKSPACES, ArrayType.ACTIVATIONS);
        assertTrue(ChannelsLast.is(held));
        assertFalse(ChannelsLast.is(nchw));
        assertArrayEquals(new long[]{2, 3, 4, 5}, held.shape());
        assertEquals(nchw, held);
        assertArrayEquals(new long[]{60, 1, 15, 3}, held.stride());
        assertSame(held, ChannelsLast.held(held, NO_WORKSPACES, ArrayType.ACTIVATIONS));
    }

    @Test
    void theFlatViewOfEitherLayoutWritesThroughToTheArray() {
        INDArray nchw = Nd4j.zeros(DataType.FLOAT, 2, 3, 4, 5);
        INDArray held = ChannelsLast.create(NO_WORKSPACES, ArrayType.ACTIVATIONS, DataType.FLOAT,
                new long[]{2, 3, 4, 5});
        held.assign(0);
        ChannelsLast.flat(nchw).putScalar(1, 7f);
        ChannelsLast.flat(held).putScalar(1, 7f);
        assertEquals(7f, nchw.getFloat(0, 0, 0, 1));
        assertEquals(7f, held.getFloat(0, 1, 0, 0), "the second value in memory is the second channel's");
        assertEquals(7f, held.sumNumber().floatValue());
    }

    @Test
    void heldGradientsSumInPlaceToTheValuesOfAPlainSum() {
        INDArray first = counting(2, 3, 4, 5);
        INDArray second = counting(2, 3, 4, 5).muli(-3f).addi(1f);
        INDArray expected = first.add(second);
        INDArray[] others = {gradientHeld(second), second.dup(), ChannelsLast.held(second, NO_WORKSPACES,
                ArrayType.ACTIVATIONS)};
        for (INDArray other : others) {
            INDArray sum = gradientHeld(first);
            assertTrue(sum instanceof HeldGradient);
            assertSame(sum, sum.addi(other));
            assertEquals(expected, sum);
            assertTrue(ChannelsLast.is(sum));
            assertEquals(expected, other.dup().addi(gradientHeld(first)), "a plain or held array plus a held gradient");
        }
    }

    private static INDArray gradientHeld(INDArray nchw) {
        return ChannelsLast.create(NO_WORKSPACES, ArrayType.ACTIVATION_GRAD, nchw.dataType(), nchw.shape())
                .assign(nchw);
    }

    @Test
    void mapsOfOnePositionAndSingleChannelsCountAsPlain() {
        INDArray pixels = Nd4j.zeros(DataType.FLOAT, 4, 8, 1, 1);
        INDArray oneChannel = Nd4j.zeros(DataType.FLOAT, 4, 1, 3, 3);
        assertFalse(ChannelsLast.is(pixels));
        assertFalse(ChannelsLast.is(oneChannel));
        assertSame(pixels, ChannelsLast.block(pixels));
    }

    @Test
    void valuesAreBroughtToTheLayoutOfAModel() {
        INDArray nchw = counting(2, 3, 4, 5);
        INDArray held = ChannelsLast.held(nchw, NO_WORKSPACES, ArrayType.ACTIVATIONS);
        INDArray inHeld = ChannelsLast.inLayoutOf(nchw, held, NO_WORKSPACES, ArrayType.ACTIVATIONS);
        INDArray inPlain = ChannelsLast.inLayoutOf(held, nchw, NO_WORKSPACES, ArrayType.ACTIVATIONS);
        assertTrue(ChannelsLast.is(inHeld));
        assertTrue(BlasMatrix.isCBlock(inPlain));
        assertEquals(nchw, inHeld);
        assertEquals(nchw, inPlain);
        INDArray strided = counting(2, 6, 4, 5).get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 3));
        INDArray block = ChannelsLast.block(strided);
        assertTrue(BlasMatrix.isCBlock(block));
        assertEquals(strided, block);
    }
}
