package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.dnnl_a;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_eltwise_relu;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;

import org.bytedeco.dnnl.dnnl_eltwise_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A ReLU's oneDNN primitives, forward and backward, for float arrays of one length (the values as one flat
 * block: an element-wise op does not care about the shape). {@code max(0, x)} forward and "the output gradient
 * where {@code x > 0}, else 0" backward, exactly what libnd4j's ReLU ops compute, bit for bit; libnd4j's
 * derivative op took five times its forward op's time on DenseNet-BC-100's activations (docs/fast-layers.md).
 */
final class OneDnnRelu {

    private final dnnl_primitive forward;
    private final dnnl_primitive backward;
    private final dnnl_memory source;
    private final dnnl_memory output;
    private final dnnl_memory outputGradient;
    private final dnnl_memory inputGradient;

    OneDnnRelu(long length) {
        OneDnn.Natives natives = new OneDnn.Natives();
        dnnl_memory_desc_t flat = OneDnn.desc(new long[]{length}, dnnl_a);
        dnnl_eltwise_desc_t forwardDesc = new dnnl_eltwise_desc_t();
        OneDnn.check(dnnl_eltwise_forward_desc_init(forwardDesc, dnnl_forward_training, dnnl_eltwise_relu, flat, 0f,
                0f), "relu forward descriptor");
        dnnl_primitive_desc forwardPd = natives.primitiveDesc(forwardDesc, null);
        forward = natives.primitive(forwardPd);
        dnnl_eltwise_desc_t backwardDesc = new dnnl_eltwise_desc_t();
        OneDnn.check(dnnl_eltwise_backward_desc_init(backwardDesc, dnnl_eltwise_relu, flat, flat, 0f, 0f),
                "relu backward descriptor");
        backward = natives.primitive(natives.primitiveDesc(backwardDesc, forwardPd));
        source = natives.memory(flat);
        output = natives.memory(flat);
        outputGradient = natives.memory(flat);
        inputGradient = natives.memory(flat);
        natives.freeWith(this);
    }

    /** {@code out = max(0, x)}; both one block of floats in the same layout. */
    void forward(INDArray x, INDArray out) {
        OneDnn.bind(source, x);
        OneDnn.bind(output, out);
        OneDnn.execute(forward, DNNL_ARG_SRC, source, DNNL_ARG_DST, output);
    }

    /** {@code delta = x > 0 ? epsilon : 0}; each one block of floats, all in the same layout. */
    void backward(INDArray x, INDArray epsilon, INDArray delta) {
        OneDnn.bind(source, x);
        OneDnn.bind(outputGradient, epsilon);
        OneDnn.bind(inputGradient, delta);
        OneDnn.execute(backward, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_DIFF_SRC,
                inputGradient);
    }
}
