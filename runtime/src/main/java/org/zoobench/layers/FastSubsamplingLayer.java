package org.zoobench.layers;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.bytedeco.dnnl.dnnl_memory;
import org.bytedeco.dnnl.dnnl_primitive;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J's pooling layer where its window is one position (max or average pooling over 1x1 with no padding: an
 * option-A shortcut's subsampling, which keeps every {@code stride}-th row and column) computing what that is, on
 * maps whose sides the stride divides, a strided copy: one oneDNN reorder from the kept positions of the input, in whichever layout it arrives, to the
 * output, held channels-last or in C order as {@link ChannelsLastPlan} says; the backward pass writes zeros and then
 * the output's gradient into the kept positions of the input's gradient, in the layout the plan gives the input.
 * DL4J's pooling op walks a channels-last input element by element, so the vertex before a shortcut had to hand it
 * a C-ordered copy, and the pooling and the shortcut's other vertices were a tenth of a ResNet-20 inference pass at
 * batch 32 (docs/fast-layers.md). The values are copies, so the same bits. Swapped in, as the other fast layers are,
 * on float32 graphs on the CPU backend, where oneDNN computes (DL4J M2.1's pooling forward pass has no helper slot).
 */
final class FastSubsamplingLayer extends SubsamplingLayer {

    private final boolean inputHeld;
    private final boolean holdsOutput;
    private final OneDnn.Natives natives = new OneDnn.Natives();
    /** Per source and destination (dims and strides), the reorder between them and its two memories. */
    private final Map<List<List<Long>>, Copy> copies = new HashMap<>();

    private record Copy(dnnl_primitive reorder, dnnl_memory from, dnnl_memory to) {
    }

    private FastSubsamplingLayer(NeuralNetConfiguration conf, DataType dataType, ChannelsLastPlan plan, String name) {
        super(conf, dataType);
        this.inputHeld = plan.inputHeld(name, 0);
        this.holdsOutput = plan.holdsOutput(name);
        natives.freeWith(this);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(false);
        if (!copies(input)) {
            return super.activate(training, workspaceMgr);
        }
        INDArray source = ChannelsLast.block(input);
        long[] outShape = keptShape(source.shape(), layerConf().getStride());
        INDArray out = holdsOutput ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATIONS, dataType, outShape)
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, outShape);
        copy(source, kept(source.stride()), out, out.stride(), outShape);
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        assertInputSet(true);
        if (!copies(input) || epsilon.dataType() != dataType) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray delta = ChannelsLast.block(epsilon);
        INDArray inputGrad = inputHeld
                ? ChannelsLast.create(workspaceMgr, ArrayType.ACTIVATION_GRAD, dataType, input.shape())
                : workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, input.shape());
        Nd4j.getMemoryManager().memset(inputGrad);
        copy(delta, delta.stride(), inputGrad, kept(inputGrad.stride()), delta.shape());
        return new Pair<>(new DefaultGradient(), inputGrad);
    }

    /**
     * Whether this input's kept positions are one strided copy: a float map whose sides the stride divides (every
     * map of the zoo's ResNets). oneDNN takes a strided tensor only where each dimension's extent lies within the
     * next one's stride, which the last kept row of a map of odd height overruns; such maps are DL4J's to pool.
     */
    private boolean copies(INDArray x) {
        int[] stride = layerConf().getStride();
        return x.rank() == 4 && x.dataType() == dataType && x.size(2) % stride[0] == 0 && x.size(3) % stride[1] == 0;
    }

    /** The shape of the kept positions: every {@code stride}-th row and column from the first. */
    private static long[] keptShape(long[] nchw, int[] strides) {
        return new long[]{nchw[0], nchw[1], (nchw[2] + strides[0] - 1) / strides[0],
                (nchw[3] + strides[1] - 1) / strides[1]};
    }

    /** The strides, in elements, of the kept positions of an array with these strides. */
    private long[] kept(long[] strides) {
        int[] subsampling = layerConf().getStride();
        return new long[]{strides[0], strides[1], strides[2] * subsampling[0], strides[3] * subsampling[1]};
    }

    /** Copies the {@code dims}-shaped tensor at {@code from} (these strides) to {@code to} (those). */
    private void copy(INDArray from, long[] fromStrides, INDArray to, long[] toStrides, long[] dims) {
        Copy copy = copies.computeIfAbsent(List.of(boxed(dims), boxed(fromStrides), boxed(toStrides)), key -> {
            var fromDesc = OneDnn.strided(dims, fromStrides);
            var toDesc = OneDnn.strided(dims, toStrides);
            return new Copy(natives.reorder(fromDesc, toDesc), natives.memory(fromDesc), natives.memory(toDesc));
        });
        OneDnn.bind(copy.from(), from);
        OneDnn.bind(copy.to(), to);
        OneDnn.reorder(copy.reorder(), copy.from(), copy.to());
    }

    private static List<Long> boxed(long[] values) {
        return Arrays.stream(values).boxed().toList();
    }

    /**
     * Puts a {@code FastSubsamplingLayer} (for {@code fast}) or DL4J's own pooling layer in place of every pooling
     * layer of {@code graph} whose window is one position.
     */
    static void swapSubsamplingLayers(ComputationGraph graph, boolean fast, ChannelsLastPlan plan) {
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex instanceof LayerVertex layerVertex && swappable(layerVertex.getLayer())
                    && layerVertex.getLayer() instanceof FastSubsamplingLayer != fast) {
                Layer old = layerVertex.getLayer();
                DataType dataType = (DataType) GraphSwaps.get(
                        org.deeplearning4j.nn.layers.AbstractLayer.class, old, "dataType");
                Layer replacement = fast ? new FastSubsamplingLayer(old.conf(), dataType, plan,
                        layerVertex.getVertexName()) : new SubsamplingLayer(old.conf(), dataType);
                GraphSwaps.replaceLayer(graph, layerVertex, old, replacement);
            }
        }
    }

    /** DL4J's pooling layer (or this one) over 1x1 windows with no padding or dilation, max or average, on NCHW. */
    static boolean swappable(Layer layer) {
        if (!(layer.getClass() == SubsamplingLayer.class || layer instanceof FastSubsamplingLayer)) {
            return false;
        }
        var conf = (org.deeplearning4j.nn.conf.layers.SubsamplingLayer) layer.conf().getLayer();
        return (conf.getPoolingType() == PoolingType.MAX || conf.getPoolingType() == PoolingType.AVG)
                && Arrays.stream(conf.getKernelSize()).allMatch(k -> k == 1)
                && Arrays.stream(conf.getPadding()).allMatch(p -> p == 0)
                && Arrays.stream(conf.getDilation()).allMatch(d -> d == 1)
                && conf.getCnn2dDataFormat() == CNN2DFormat.NCHW;
    }
}
