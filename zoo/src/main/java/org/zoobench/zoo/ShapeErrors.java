package org.zoobench.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional3D;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeRecurrent;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.zoobench.UserInputException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Arrays;
import java.util.Set;

/**
 * Turns shape problems into one line a user can act on. An input too small for a model is reported at the layer
 * where the spatial size reaches zero, found by walking the graph in topological order with DL4J's InputType
 * inference: DL4J itself either throws somewhere inside the builder or, for some layers, lets a size of zero
 * through with only a logged warning.
 */
final class ShapeErrors {

    private ShapeErrors() {
    }

    static ComputationGraphConfiguration configure(ModelEntry entry, ModelOptions options) {
        ComputationGraphConfiguration conf;
        try {
            conf = entry.factory().apply(options);
        } catch (UserInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw explainFailure(entry, options, e);
        }
        Optional<Collapse> collapse = findCollapse(conf, options.input());
        if (collapse.isPresent()) {
            throw tooSmall(entry.name(), options.input(), collapse.get());
        }
        return conf;
    }

    /** The builder threw: replay the graph (built at the model's default input) with the requested input. */
    private static UserInputException explainFailure(ModelEntry entry, ModelOptions options, RuntimeException e) {
        Optional<Collapse> collapse;
        try {
            ComputationGraphConfiguration structure = entry.factory().apply(options.withInput(entry.defaultInput()));
            collapse = findCollapse(structure, options.input());
        } catch (RuntimeException structureFailure) {
            collapse = Optional.empty();
        }
        return collapse.map(c -> tooSmall(entry.name(), options.input(), c))
                .orElseGet(() -> new UserInputException("model '" + entry.name() + "' cannot take input "
                        + options.input() + ": " + UserInputException.rootMessage(e), e));
    }

    /** Where in the graph an input of this shape reaches (or would reach) a spatial size of zero. */
    private record Collapse(String vertex, Layer layer, InputType seen) {
    }

    private static UserInputException tooSmall(String model, InputShape input, Collapse c) {
        return new UserInputException("input " + input + " is too small for '" + model
                + "': spatial size reaches zero at layer '" + c.vertex() + "' (" + describe(c.layer(), c.seen()) + ")");
    }

    static Optional<Collapse> findCollapse(ComputationGraphConfiguration conf, InputShape input) {
        if (conf.getNetworkInputs().size() != 1) {
            return Optional.empty();
        }
        Map<String, InputType> types = new HashMap<>();
        types.put(conf.getNetworkInputs().get(0), input.toInputType());
        for (String name : topologicalOrder(conf)) {
            if (types.containsKey(name)) {
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            InputType[] in = conf.getVertexInputs().get(name).stream().map(types::get).toArray(InputType[]::new);
            Layer layer = vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
            InputType seen = in[0];
            InputType out;
            try {
                if (layer != null) {
                    InputPreProcessor pre = layer.getPreProcessorForInputType(in[0]);
                    seen = pre == null ? in[0] : pre.getOutputType(in[0]);
                    out = layer.getOutputType(-1, seen);
                } else {
                    out = vertex.getOutputType(-1, in);
                }
            } catch (RuntimeException e) {
                return windowExceedsInput(layer, seen) || hasZeroSize(seen)
                        ? Optional.of(new Collapse(name, layer, seen)) : Optional.empty();
            }
            // DL4J's (in - k + 2p) / s + 1 truncates towards zero, so a window one larger than its input passes as 1.
            if (hasZeroSize(out) || windowExceedsInput(layer, seen)) {
                return Optional.of(new Collapse(name, layer, seen));
            }
            types.put(name, out);
        }
        return Optional.empty();
    }

    private static List<String> topologicalOrder(ComputationGraphConfiguration conf) {
        List<String> order = new ArrayList<>(conf.getNetworkInputs());
        Set<String> placed = new HashSet<>(order);
        boolean progress = true;
        while (progress) {
            progress = false;
            for (String name : conf.getVertices().keySet()) {
                if (!placed.contains(name) && placed.containsAll(conf.getVertexInputs().get(name))) {
                    order.add(name);
                    placed.add(name);
                    progress = true;
                }
            }
        }
        return order;
    }

    /** Spatial or time dimensions of zero (a feed-forward size of zero is DL4J's "unknown", not a collapse). */
    private static boolean hasZeroSize(InputType type) {
        if (type instanceof InputTypeConvolutional c) {
            return c.getHeight() <= 0 || c.getWidth() <= 0;
        }
        if (type instanceof InputTypeConvolutional3D c) {
            return c.getDepth() <= 0 || c.getHeight() <= 0 || c.getWidth() <= 0;
        }
        return type instanceof InputTypeRecurrent r && r.getTimeSeriesLength() == 0;
    }

    /** A convolution or pooling window (dilated) larger than its padded input, in any dimension. */
    private static boolean windowExceedsInput(Layer layer, InputType seen) {
        Window w = Window.of(layer);
        if (w == null || w.mode() == ConvolutionMode.Same) {
            return false;
        }
        long[] size = spatialSize(seen);
        for (int i = 0; i < size.length && i < w.kernel().length; i++) {
            long effectiveKernel = (long) (w.kernel()[i] - 1) * w.dilation()[i] + 1;
            if (effectiveKernel > size[i] + 2L * w.padding()[i]) {
                return true;
            }
        }
        return false;
    }

    private static long[] spatialSize(InputType type) {
        if (type instanceof InputTypeConvolutional c) {
            return new long[]{c.getHeight(), c.getWidth()};
        }
        if (type instanceof InputTypeConvolutional3D c) {
            return new long[]{c.getDepth(), c.getHeight(), c.getWidth()};
        }
        if (type instanceof InputTypeRecurrent r) {
            return new long[]{r.getTimeSeriesLength()};
        }
        return new long[0];
    }

    /** E.g. {@code kernel 5x5 on 1x1}, {@code kernel 3 with padding 1 on 0 steps}, {@code input 0x0}. */
    private static String describe(Layer layer, InputType seen) {
        long[] size = spatialSize(seen);
        boolean sequence = seen instanceof InputTypeRecurrent;
        String on = sequence ? size[0] + " steps" : join(size);
        Window w = Window.of(layer);
        if (w == null) {
            return "input " + on;
        }
        int dims = Math.max(1, Math.min(size.length, w.kernel().length));
        long[] kernel = new long[dims];
        long[] padding = new long[dims];
        for (int i = 0; i < dims; i++) {
            kernel[i] = w.kernel()[i];
            padding[i] = w.padding()[i];
        }
        boolean padded = Arrays.stream(padding).anyMatch(p -> p != 0);
        return "kernel " + join(kernel) + (padded ? " with padding " + join(padding) : "") + " on " + on;
    }

    private static String join(long[] values) {
        return String.join("x", Arrays.stream(values).mapToObj(String::valueOf).toList());
    }

    /** The sliding window of a convolution or pooling layer. */
    private record Window(int[] kernel, int[] padding, int[] dilation, ConvolutionMode mode) {
        static Window of(Layer layer) {
            if (layer instanceof ConvolutionLayer c) {
                return new Window(c.getKernelSize(), c.getPadding(), c.getDilation(), c.getConvolutionMode());
            }
            if (layer instanceof SubsamplingLayer s) {
                return new Window(s.getKernelSize(), s.getPadding(), s.getDilation(), s.getConvolutionMode());
            }
            return null;
        }
    }
}
