package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.api.buffer.DataType;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelEntry;
import org.zoobench.zoo.ModelOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Per-layer and total trainable parameters, multiply-accumulates, output shapes and activation memory of a
 * graph at one input shape. Worked out from the configuration alone with DL4J's InputType inference: no weights
 * are allocated, so a 60M-parameter model profiles in milliseconds.
 */
public final class ModelProfile {

    private final String model;
    private final InputShape input;
    private final DataType dataType;
    private final List<LayerProfile> layers;

    private ModelProfile(String model, InputShape input, DataType dataType, List<LayerProfile> layers) {
        this.model = model;
        this.input = input;
        this.dataType = dataType;
        this.layers = List.copyOf(layers);
    }

    /** The registered model at the given options (shape errors become a one-line {@code UserInputException}). */
    public static ModelProfile of(ModelEntry entry, ModelOptions options) {
        return of(entry.name(), entry.configuration(options), options.input());
    }

    public static ModelProfile of(ComputationGraphConfiguration conf, InputShape input) {
        return of("graph", conf, input);
    }

    private static ModelProfile of(String model, ComputationGraphConfiguration conf, InputShape input) {
        // Inference adds missing preprocessors and may rewrite nIn (DL4J's convolutions take it from the inferred
        // channels even when set), so it runs on a copy; parameters and MACs come from the caller's layers, which
        // are what the network is built from.
        ComputationGraphConfiguration inferred = conf.clone();
        Map<String, InputType> types = inferred.getLayerActivationTypes(true, false, input.toInputType());
        Map<String, InputType> repaired = new HashMap<>(); // DL4J's types with its gaps filled, see Shapes.repair
        long bytesPerValue = conf.getDataType().width();
        List<LayerProfile> layers = new ArrayList<>();
        for (Map.Entry<String, InputType> e : types.entrySet()) {
            String name = e.getKey();
            if (conf.getNetworkInputs().contains(name)) {
                repaired.put(name, e.getValue());
                continue;
            }
            GraphVertex vertex = conf.getVertices().get(name);
            List<String> inputs = conf.getVertexInputs().get(name);
            InputType raw = repaired.get(inputs.get(0));
            InputType out = Shapes.repair(vertex, raw, e.getValue());
            if (out instanceof InputType.InputTypeRecurrent r && r.getTimeSeriesLength() <= 0
                    && input instanceof InputShape.Sequence sequence) {
                // A sequence re-formed from per-step values (FeedForwardToRnnPreProcessor) has the input's length.
                out = InputType.recurrent(r.getSize(), sequence.length(), r.getFormat());
            }
            repaired.put(name, out);
            long params = vertex.numParams(false);
            long activationBytes = out.arrayElementsPerExample() * bytesPerValue;
            if (vertex instanceof LayerVertex lv) {
                Layer layer = lv.getLayerConf().getLayer();
                // The preprocessor DL4J chose expects DL4J's own type of the input.
                InputPreProcessor pre = ((LayerVertex) inferred.getVertices().get(name)).getPreProcessor();
                InputType in = pre == null ? raw : pre.getOutputType(types.get(inputs.get(0)));
                long steps = Math.max(Shapes.steps(raw), Shapes.steps(in));
                layers.add(new LayerProfile(name, layer.getClass().getSimpleName(), LayerCosts.detail(layer), inputs,
                        out, LayerCosts.trainableParams(layer, params), LayerCosts.macs(layer, in, out, steps),
                        activationBytes));
            } else {
                String detail = vertex instanceof ElementWiseVertex ew ? ew.getOp().name().toLowerCase(Locale.ROOT) : "";
                layers.add(new LayerProfile(name, vertex.getClass().getSimpleName(), detail, inputs, out, params, 0,
                        activationBytes));
            }
        }
        return new ModelProfile(model, input, conf.getDataType(), layers);
    }

    public String model() {
        return model;
    }

    public InputShape input() {
        return input;
    }

    public DataType dataType() {
        return dataType;
    }

    /** Every vertex except the inputs, in topological order. */
    public List<LayerProfile> layers() {
        return layers;
    }

    public LayerProfile layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst()
                .orElseThrow(() -> new NoSuchElementException("no vertex '" + name + "' in " + model));
    }

    public long trainableParams() {
        return layers.stream().mapToLong(LayerProfile::trainableParams).sum();
    }

    /** Multiply-accumulates of one forward pass of one example. */
    public long macs() {
        return layers.stream().mapToLong(LayerProfile::macs).sum();
    }

    /** Floating-point operations of one forward pass of one example, counting a multiply-accumulate as two. */
    public long flops() {
        return 2 * macs();
    }

    /** Bytes of all vertex outputs of one example (what a forward pass keeps for backprop, input excluded). */
    public long activationBytes() {
        return layers.stream().mapToLong(LayerProfile::activationBytes).sum();
    }

    /** The final vertex's output shape. */
    public String outputShape() {
        return layers.get(layers.size() - 1).outputShape();
    }
}
