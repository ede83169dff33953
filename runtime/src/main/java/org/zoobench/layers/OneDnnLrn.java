package org.zoobench.layers;

import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DIFF_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_DST;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_SRC;
import static org.bytedeco.dnnl.global.dnnl.DNNL_ARG_WORKSPACE;
import static org.bytedeco.dnnl.global.dnnl.dnnl_forward_training;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lrn_across_channels;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lrn_backward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_lrn_forward_desc_init;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_desc_get_size;
import static org.bytedeco.dnnl.global.dnnl.dnnl_memory_set_data_handle;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nchw;
import static org.bytedeco.dnnl.global.dnnl.dnnl_nhwc;
import static org.bytedeco.dnnl.global.dnnl.dnnl_primitive_desc_query_md;
import static org.bytedeco.dnnl.global.dnnl.dnnl_query_workspace_md;

import org.bytedeco.dnnl.dnnl_lrn_desc_t;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_memory_desc_t;
import org.bytedeco.dnnl.dnnl_primitive;
import org.bytedeco.dnnl.dnnl_primitive_desc;
import org.bytedeco.javacpp.BytePointer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A local response normalisation layer's oneDNN primitives for one input shape, across channels in DL4J's plain
 * layout: {@code y = x / (k + alpha · Σ x²)^beta} over the {@code n} channels around each one, as DL4J defines it
 * (oneDNN divides its alpha by {@code n}, so it gets {@code alpha · n}). The backward pass is the exact gradient,
 * where DL4J's Java code divides each window's sum by the centre channel's denominator instead of each term's
 * own; with the zoo's k = 2 and alpha = 1e-4 the denominators differ by less than 1e-3 relative, and so do the
 * two gradients' small second terms.
 */
final class OneDnnLrn {

    private final dnnl_primitive forward;
    private final dnnl_primitive backward;
    private final dnnl_memory source;
    private final dnnl_memory output;
    private final dnnl_memory outputGradient;
    private final dnnl_memory inputGradient;
    private final dnnl_memory workspace;
    private final dnnl_memory_desc_t data;

    OneDnnLrn(long[] dims, CNN2DFormat format, double k, double n, double alpha, double beta) {
        OneDnn.Natives natives = new OneDnn.Natives();
        data = OneDnn.desc(dims, format == CNN2DFormat.NCHW ? dnnl_nchw : dnnl_nhwc);
        long size = (long) n;
        float oneDnnAlpha = (float) (alpha * n);
        dnnl_lrn_desc_t forwardDesc = new dnnl_lrn_desc_t();
        OneDnn.check(dnnl_lrn_forward_desc_init(forwardDesc, dnnl_forward_training, dnnl_lrn_across_channels, data,
                size, oneDnnAlpha, (float) beta, (float) k), "lrn forward descriptor");
        dnnl_primitive_desc forwardPd = natives.primitiveDesc(forwardDesc, null);
        forward = natives.primitive(forwardPd);
        dnnl_lrn_desc_t backwardDesc = new dnnl_lrn_desc_t();
        OneDnn.check(dnnl_lrn_backward_desc_init(backwardDesc, dnnl_lrn_across_channels, data, data, size,
                oneDnnAlpha, (float) beta, (float) k), "lrn backward descriptor");
        backward = natives.primitive(natives.primitiveDesc(backwardDesc, forwardPd));
        source = natives.memory(data);
        output = natives.memory(data);
        outputGradient = natives.memory(data);
        inputGradient = natives.memory(data);
        dnnl_memory_desc_t workspaceLayout = dnnl_primitive_desc_query_md(forwardPd, dnnl_query_workspace_md, 0);
        long workspaceBytes = dnnl_memory_desc_get_size(workspaceLayout);
        if (workspaceBytes > 0) {
            workspace = natives.memory(workspaceLayout);
            BytePointer buffer = new BytePointer(workspaceBytes);
            natives.keep(buffer);
            OneDnn.check(dnnl_memory_set_data_handle(workspace, buffer), "set buffer");
        } else {
            workspace = null;
        }
        natives.freeWith(this);
    }

    /** {@code out} from {@code x}; both one C-ordered block of floats. */
    void forward(INDArray x, INDArray out) {
        OneDnn.bind(source, x);
        OneDnn.bind(output, out);
        if (workspace == null) {
            OneDnn.execute(forward, DNNL_ARG_SRC, source, DNNL_ARG_DST, output);
        } else {
            OneDnn.execute(forward, DNNL_ARG_SRC, source, DNNL_ARG_DST, output, DNNL_ARG_WORKSPACE, workspace);
        }
    }

    /**
     * The input gradient; every array one C-ordered block of floats. Where the kernels keep a workspace, the forward
     * pass runs again first (into a scratch buffer), as DL4J's own backward pass does, so that the workspace is this
     * input's whatever ran in between.
     */
    void backward(INDArray x, INDArray epsilon, INDArray inputGrad) {
        OneDnn.bind(source, x);
        if (workspace != null) {
            OneDnn.bindScratch(output, data, 0);
            OneDnn.execute(forward, DNNL_ARG_SRC, source, DNNL_ARG_DST, output, DNNL_ARG_WORKSPACE, workspace);
        }
        OneDnn.bind(outputGradient, epsilon);
        OneDnn.bind(inputGradient, inputGrad);
        if (workspace == null) {
            OneDnn.execute(backward, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_DIFF_SRC,
                    inputGradient);
        } else {
            OneDnn.execute(backward, DNNL_ARG_SRC, source, DNNL_ARG_DIFF_DST, outputGradient, DNNL_ARG_DIFF_SRC,
                    inputGradient, DNNL_ARG_WORKSPACE, workspace);
        }
    }
}
