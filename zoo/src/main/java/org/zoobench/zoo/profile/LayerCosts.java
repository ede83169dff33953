package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Convolution1DLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.Deconvolution3D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GravesBidirectionalLSTM;
import org.deeplearning4j.nn.conf.layers.GravesLSTM;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocallyConnected2D;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayer;
import org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop;
import org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer;

import java.util.Arrays;
import java.util.Locale;

/**
 * Per-layer arithmetic DL4J does not provide. MACs follow the convention of torchvision's GFLOPS column:
 * the multiply-accumulates of convolutions and fully connected layers (recurrent layers being fully connected
 * layers applied once per step, locally connected layers convolutions without weight sharing); biases,
 * normalisation, activations, pooling and element-wise ops count zero.
 */
final class LayerCosts {

    private LayerCosts() {
    }

    /**
     * Multiply-accumulates for one example.
     *
     * @param in    what the layer reads (after its input preprocessor)
     * @param out   what it produces
     * @param steps time steps the layer is applied over (1 outside sequences)
     */
    static long macs(Layer layer, InputType in, InputType out, long steps) {
        if (layer instanceof FrozenLayer frozen) {
            return macs(frozen.getLayer(), in, out, steps);
        }
        if (layer instanceof Bidirectional bidirectional) {
            return 2 * macs(bidirectional.getFwd(), in, out, steps);
        }
        if (layer instanceof BaseWrapperLayer wrapper) {
            return macs(wrapper.getUnderlying(), in, out, steps);
        }
        if (layer instanceof ConvolutionLayer conv) {
            return convolutionMacs(conv, in, out);
        }
        if (layer instanceof LocallyConnected2D local) {
            // A convolution without weight sharing: the same multiply-accumulates, one weight set per position.
            return Shapes.positions(out) * local.getNOut() * local.getNIn() * local.getKernel()[0] * local.getKernel()[1];
        }
        if (layer instanceof DenseLayer || layer instanceof BaseOutputLayer) {
            FeedForwardLayer fc = (FeedForwardLayer) layer;
            return fc.getNIn() * fc.getNOut() * steps;
        }
        if (layer instanceof GravesBidirectionalLSTM lstm) {
            return 2 * steps * (lstmStep(lstm.getNIn(), lstm.getNOut()) + 3 * lstm.getNOut());
        }
        if (layer instanceof GravesLSTM lstm) {
            return steps * (lstmStep(lstm.getNIn(), lstm.getNOut()) + 3 * lstm.getNOut());
        }
        if (layer instanceof LSTM lstm) {
            return steps * lstmStep(lstm.getNIn(), lstm.getNOut());
        }
        if (layer instanceof SimpleRnn rnn) {
            return steps * (rnn.getNIn() + rnn.getNOut()) * rnn.getNOut();
        }
        return 0;
    }

    /** Four gates, each a fully connected map of [input, previous output] to the output size. */
    private static long lstmStep(long nIn, long nOut) {
        return 4 * (nIn + nOut) * nOut;
    }

    private static long convolutionMacs(ConvolutionLayer conv, InputType in, InputType out) {
        // Convolution1DLayer keeps a 2-D kernel array whose second entry is not used.
        int[] kernelSize = conv instanceof Convolution1DLayer ? new int[]{conv.getKernelSize()[0]} : conv.getKernelSize();
        long kernel = Arrays.stream(kernelSize).asLongStream().reduce(1, (a, b) -> a * b);
        long nIn = conv.getNIn();
        long nOut = conv.getNOut();
        if (conv instanceof SeparableConvolution2D separable) {
            long depthwiseChannels = nIn * separable.getDepthMultiplier();
            return Shapes.positions(out) * (depthwiseChannels * kernel + depthwiseChannels * nOut);
        }
        if (conv instanceof DepthwiseConvolution2D) {
            return Shapes.positions(out) * nOut * kernel;
        }
        if (conv instanceof Deconvolution2D || conv instanceof Deconvolution3D) {
            // Every input position scatters a kernel-sized patch to every output channel.
            return Shapes.positions(in) * nIn * nOut * kernel;
        }
        return Shapes.positions(out) * nOut * nIn * kernel;
    }

    /**
     * Parameters an optimiser updates: all of a layer's parameters except BatchNorm's running mean and
     * variance (which DL4J keeps in the parameter table) and anything frozen.
     */
    static long trainableParams(Layer layer, long numParams) {
        if (layer instanceof FrozenLayer || layer instanceof FrozenLayerWithBackprop) {
            return 0;
        }
        if (layer instanceof BatchNormalization bn) {
            return bn.isLockGammaBeta() ? 0 : 2 * bn.getNOut();
        }
        return numParams;
    }

    /** Kernel, stride and padding of a convolution or pooling, e.g. {@code 11x11 s4 p2}; empty for other layers. */
    static String detail(Layer layer) {
        if (layer instanceof ConvolutionLayer conv) {
            return window(conv.getKernelSize(), conv.getStride(), conv.getPadding(), conv.getConvolutionMode());
        }
        if (layer instanceof SubsamplingLayer pool) {
            return pool.getPoolingType().name().toLowerCase(Locale.ROOT) + " "
                    + window(pool.getKernelSize(), pool.getStride(), pool.getPadding(), pool.getConvolutionMode());
        }
        return "";
    }

    private static String window(int[] kernel, int[] stride, int[] padding, ConvolutionMode mode) {
        String s = dims(kernel) + " s" + compact(stride);
        if (mode == ConvolutionMode.Same) {
            return s + " same";
        }
        return Arrays.stream(padding).allMatch(p -> p == 0) ? s : s + " p" + compact(padding);
    }

    private static String dims(int[] values) {
        return String.join("x", Arrays.stream(values).mapToObj(String::valueOf).toList());
    }

    /** {@code 2} when all dimensions agree, {@code 2x1} otherwise. */
    private static String compact(int[] values) {
        return Arrays.stream(values).distinct().count() == 1 ? String.valueOf(values[0]) : dims(values);
    }
}
