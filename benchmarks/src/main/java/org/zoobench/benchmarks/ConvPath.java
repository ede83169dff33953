package org.zoobench.benchmarks;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.layers.LayerHelper;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.layers.LayerImpl;

import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Which code computes a benchmark's convolutions, as recorded in its rows: a DL4J convolution layer runs its helper
 * (cuDNN with deeplearning4j-cuda on the classpath, oneDNN on the oneDNN build) or else its own im2col + gemm;
 * the fast layers call oneDNN's primitives themselves in float32 on the CPU backend, and otherwise libnd4j's conv2d
 * op, which runs the platform helper its build has, or its own kernel.
 */
final class ConvPath {

    static final String IM2COL = "dl4j im2col+gemm";
    /** The fast layers' own oneDNN primitives (float32 on the CPU backend). */
    static final String ONEDNN_DIRECT = "oneDNN primitives (fast layers)";

    private ConvPath() {
    }

    /** The distinct paths of a built network's convolution layers, joined by " + "; "none" without convolutions. */
    static String of(ComputationGraph net, String buildInfo) {
        Set<String> paths = new LinkedHashSet<>();
        for (Layer layer : net.getLayers()) {
            if (layer instanceof ConvolutionLayer conv) {
                paths.add(!LayerImpl.isFastHelper(conv.getHelper()) ? ofHelper(conv.getHelper())
                        : LayerImpl.oneDnnComputes(conv.getParam("W").dataType()) ? ONEDNN_DIRECT
                        : nativeOp(buildInfo, Nd4j.getEnvironment().helpersAllowed()));
            } else if (layer.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("conv")) {
                paths.add(nativeOp(buildInfo, Nd4j.getEnvironment().helpersAllowed()));
            }
        }
        return paths.isEmpty() ? "none" : String.join(" + ", paths);
    }

    /** What a stock DL4J convolution layer runs on this backend: one is built to see which helper it picks. */
    static String stockLayer() {
        MultiLayerNetwork net = new MultiLayerNetwork(new NeuralNetConfiguration.Builder().list()
                .layer(new org.deeplearning4j.nn.conf.layers.ConvolutionLayer.Builder(3, 3).nOut(4).build())
                .layer(new OutputLayer.Builder().nOut(2).build())
                .setInputType(InputType.convolutional(8, 8, 3)).build());
        net.init();
        return ofHelper(net.getLayer(0).getHelper());
    }

    static String ofHelper(LayerHelper helper) {
        if (helper == null) {
            return IM2COL;
        }
        if (helper instanceof MKLDNNConvHelper) {
            return "oneDNN (dl4j helper)";
        }
        return helper.getClass().getSimpleName().toLowerCase(Locale.ROOT).contains("cudnn")
                ? "cuDNN (dl4j helper)" : helper.getClass().getSimpleName();
    }

    /** libnd4j's conv2d: the cuDNN or oneDNN platform helper when built in and allowed, else its own kernel. */
    static String nativeOp(String buildInfo, boolean helpersAllowed) {
        String b = buildInfo.toUpperCase(Locale.ROOT);
        String helper = !helpersAllowed ? "built-in" : b.contains("CUDNN") ? "cuDNN"
                : b.contains("ONEDNN") || b.contains("MKLDNN") || b.contains("DNNL") ? "oneDNN" : "built-in";
        return "libnd4j conv2d (" + helper + ")";
    }
}
