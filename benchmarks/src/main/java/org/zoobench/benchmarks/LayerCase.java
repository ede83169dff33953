package org.zoobench.benchmarks;

import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.Activation;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * One layer at a shape the zoo really runs, with the batch size used for the micro-benchmark. Forward cost is
 * counted in multiply-accumulates (MACs) of the whole batch; the backward pass of a convolution, dense or LSTM
 * layer computes both the input gradient and the weight gradient, twice the forward MACs.
 */
public enum LayerCase {
    //                    batch  in   h    w  out  k  s  p
    LENET5_C3(conv(32, 6, 14, 14, 16, 5, 1, 0), "LeNet-5 C3"),
    ALEXNET_CONV1(conv(4, 3, 224, 224, 64, 11, 4, 2), "AlexNet conv1"),
    ALEXNET_CONV3(conv(4, 192, 13, 13, 384, 3, 1, 1), "AlexNet conv3"),
    RESNET20_STAGE1(conv(32, 16, 32, 32, 16, 3, 1, 1), "CIFAR ResNet-20 stage 1"),
    RESNET18_STAGE1(conv(4, 64, 56, 56, 64, 3, 1, 1), "ResNet-18 stage 1 (conv2_x)"),
    RESNET18_STAGE4(conv(4, 512, 7, 7, 512, 3, 1, 1), "ResNet-18 stage 4 (conv5_x)"),
    ALEXNET_FC7(new Shape(Kind.DENSE, 32, 4096, 1, 1, 4096, 0, 0, 0), "AlexNet fc7"),
    RESNET18_STAGE1_BN(new Shape(Kind.BATCH_NORM, 4, 64, 56, 56, 64, 0, 0, 0), "ResNet-18 stage 1 batch norm"),
    // Fashion-MNIST read as 28 rows of 28 pixels, 128 hidden units: the recurrent models' setting.
    LSTM_FASHION_ROWS(new Shape(Kind.LSTM, 32, 28, 1, 28, 128, 0, 0, 0), "LSTM 28 features x 28 steps");

    public enum Kind { CONV, DENSE, BATCH_NORM, LSTM }

    /**
     * For convolutions: NCHW input [batch, in, height, width], kernel k, stride s, padding p, out channels.
     * Dense: in -> out features. Batch norm: in channels of a height x width map. LSTM: in features per step,
     * width = time steps, out = hidden units.
     */
    public record Shape(Kind kind, int batch, int in, int height, int width, int out, int kernel, int stride,
                        int pad) {

        public int outHeight() {
            return (height + 2 * pad - kernel) / stride + 1;
        }

        public int outWidth() {
            return (width + 2 * pad - kernel) / stride + 1;
        }

        public long[] inputShape() {
            return switch (kind) {
                case CONV, BATCH_NORM -> new long[]{batch, in, height, width};
                case DENSE -> new long[]{batch, in};
                case LSTM -> new long[]{batch, in, width};
            };
        }

        public long[] outputShape() {
            return switch (kind) {
                case CONV -> new long[]{batch, out, outHeight(), outWidth()};
                case BATCH_NORM -> new long[]{batch, in, height, width};
                case DENSE -> new long[]{batch, out};
                case LSTM -> new long[]{batch, out, width};
            };
        }

        /** Forward MACs of the whole batch; 0 for batch norm, which is memory-bound and not counted in FLOPs. */
        public long forwardMacs() {
            return switch (kind) {
                case CONV -> (long) batch * out * outHeight() * outWidth() * in * kernel * kernel;
                case DENSE -> (long) batch * in * out;
                // four gates, each reading the step's input and the previous hidden state
                case LSTM -> (long) batch * width * 4L * (in + out) * out;
                case BATCH_NORM -> 0;
            };
        }

        @Override
        public String toString() {
            return switch (kind) {
                case CONV -> String.format(Locale.ROOT, "%dx%dx%dx%d k%d s%d p%d -> %d", batch, in, height, width,
                        kernel, stride, pad, out);
                case DENSE -> String.format(Locale.ROOT, "%dx%d -> %d", batch, in, out);
                case BATCH_NORM -> String.format(Locale.ROOT, "%dx%dx%dx%d", batch, in, height, width);
                case LSTM -> String.format(Locale.ROOT, "%dx%dx%d steps -> %d", batch, in, width, out);
            };
        }
    }

    private final Shape shape;
    private final String description;

    LayerCase(Shape shape, String description) {
        this.shape = shape;
        this.description = description;
    }

    private static Shape conv(int batch, int in, int height, int width, int out, int kernel, int stride, int pad) {
        return new Shape(Kind.CONV, batch, in, height, width, out, kernel, stride, pad);
    }

    public Shape shape() {
        return shape;
    }

    public String description() {
        return description;
    }

    /** The JMH parameter value, e.g. {@code resnet18-stage1}. */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static LayerCase byId(String id) {
        return Arrays.stream(values()).filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown layer case '" + id + "'; known: "
                        + Arrays.stream(values()).map(LayerCase::id).collect(Collectors.joining(", "))));
    }

    public static List<LayerCase> convolutions() {
        return Arrays.stream(values()).filter(c -> c.shape.kind() == Kind.CONV).toList();
    }

    /** Backward MACs: input gradient plus weight gradient. */
    public long backwardMacs() {
        return 2 * shape.forwardMacs();
    }

    /** The stock DL4J layer configuration for this case, identity activation so only the layer's own work is timed. */
    public Layer stockLayer() {
        return switch (shape.kind()) {
            case CONV -> new ConvolutionLayer.Builder(shape.kernel(), shape.kernel())
                    .stride(shape.stride(), shape.stride())
                    .padding(shape.pad(), shape.pad())
                    .convolutionMode(ConvolutionMode.Truncate)
                    .nIn(shape.in()).nOut(shape.out())
                    .activation(Activation.IDENTITY)
                    .build();
            case DENSE -> new DenseLayer.Builder().nIn(shape.in()).nOut(shape.out())
                    .activation(Activation.IDENTITY).build();
            case BATCH_NORM -> new BatchNormalization.Builder().nIn(shape.in()).nOut(shape.in()).build();
            case LSTM -> new LSTM.Builder().nIn(shape.in()).nOut(shape.out()).activation(Activation.TANH).build();
        };
    }
}
