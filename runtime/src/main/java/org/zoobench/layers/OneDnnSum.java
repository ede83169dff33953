package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_0;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC_1;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_add;
import static org.bytedeco.dnnl.global.dnnl.dnnl_binary_desc_init;

import org.bytedeco.dnnl.dnnl_binary_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The sum of two float arrays of one length as one oneDNN binary primitive over their flat blocks, and the same sum
 * rectified as it is written, {@code max(0, a + b)}, for a residual sum whose ReLU is folded into it
 * ({@link ReluFolding}, {@link InferenceFolding}). Each element is one IEEE addition, as in libnd4j's add op, so
 * the same bits; oneDNN's kernel took about half the add op's time on a residual unit's activations, and the ReLU
 * applied as it writes costs no pass of its own (docs/fast-layers.md).
 */
final class OneDnnSum {

    private final dnnl_primitive plain;
    private final dnnl_primitive rectified;
    private final dnnl_memory first;
    private final dnnl_memory second;
    private final dnnl_memory sum;

    OneDnnSum(long length) {
        OneDnn.Natives natives = new OneDnn.Natives();
        dnnl_memory_desc_t flat = OneDnn.desc(new long[]{length}, dnnl_a);
        dnnl_binary_desc_t desc = new dnnl_binary_desc_t();
        OneDnn.check(dnnl_binary_desc_init(desc, dnnl_binary_add, flat, flat, flat), "sum descriptor");
        plain = natives.primitive(natives.primitiveDesc(desc, false, null));
        rectified = natives.primitive(natives.primitiveDesc(desc, true, null));
        first = natives.memory(flat);
        second = natives.memory(flat);
        sum = natives.memory(flat);
        natives.freeWith(this);
    }

    /** {@code out = a + b}, or {@code max(0, a + b)} where {@code rectify}; each one block of floats, one layout. */
    void add(INDArray a, INDArray b, INDArray out, boolean rectify) {
        OneDnn.bind(first, a);
        OneDnn.bind(second, b);
        OneDnn.bind(sum, out);
        OneDnn.execute(rectify ? rectified : plain, DNNL_ARG_SRC_0, first, DNNL_ARG_SRC_1, second, DNNL_ARG_DST, sum);
    }
}
