package org.zoobench.layers;

import java.nio.IntBuffer;
import org.bytedeco.javacpp.IntPointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The parameter values a layer's inference passes last derived something from (folded weights, weights reordered
 * into a kernel's layout), so that later passes reuse what was derived while the values stay the same: repeated
 * inference, and a suite's evaluation between two training epochs. DL4J updates parameters in place and keeps no
 * version of them, so the values themselves are compared, bit for bit: one read of each array, far cheaper than
 * deriving again (docs/fast-layers.md).
 */
final class ParameterSnapshot {

    private int[][] bits = new int[0][];
    private long version;

    /**
     * A number, at least 1, that stays the same from one call to the next exactly while the values of
     * {@code arrays} (float arrays, in the same order each call) stay the same.
     */
    long version(INDArray... arrays) {
        if (!same(arrays)) {
            int[][] copy = new int[arrays.length][];
            for (int i = 0; i < arrays.length; i++) {
                INDArray block = BlasMatrix.contiguous(arrays[i]);
                copy[i] = new int[Math.toIntExact(block.length())];
                bitsOf(block).get(copy[i]);
            }
            bits = copy;
            version++;
        }
        return version;
    }

    private boolean same(INDArray[] arrays) {
        if (bits.length != arrays.length) {
            return false;
        }
        for (int i = 0; i < arrays.length; i++) {
            INDArray block = BlasMatrix.contiguous(arrays[i]);
            if (block.length() != bits[i].length || bitsOf(block).mismatch(IntBuffer.wrap(bits[i])) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** The memory of a float array that is one C-ordered block, as the bits of its values. */
    private static IntBuffer bitsOf(INDArray block) {
        return new IntPointer(block.data().addressPointer()).limit(block.length()).asBuffer();
    }
}
