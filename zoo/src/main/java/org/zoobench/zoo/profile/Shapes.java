package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional3D;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutionalFlat;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeFeedForward;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeRecurrent;
import org.deeplearning4j.nn.conf.layers.LossLayer;

/** Reading DL4J's {@link InputType}s the way the zoo writes shapes. */
final class Shapes {

    private Shapes() {
    }

    static String format(InputType type) {
        if (type instanceof InputTypeConvolutional c) {
            return c.getChannels() + "x" + c.getHeight() + "x" + c.getWidth();
        }
        if (type instanceof InputTypeConvolutional3D c) {
            return c.getChannels() + "x" + c.getDepth() + "x" + c.getHeight() + "x" + c.getWidth();
        }
        if (type instanceof InputTypeConvolutionalFlat c) {
            return c.getDepth() + "x" + c.getHeight() + "x" + c.getWidth() + " (flat)";
        }
        if (type instanceof InputTypeRecurrent r) {
            return r.getSize() + "x" + r.getTimeSeriesLength();
        }
        if (type instanceof InputTypeFeedForward f) {
            return String.valueOf(f.getSize());
        }
        return type.toString();
    }

    /**
     * DL4J's inferred type with the gaps of 1.0.0-M2.1 filled in from the vertex's input: wrappers such as
     * Bidirectional and the layers after them report sequences without their length; SubsetVertex reports
     * {@code from - to + 1} channels for an image subset; a parameter-free LossLayer reports its size as its unset nOut, 0.
     */
    static InputType repair(GraphVertex vertex, InputType in, InputType out) {
        if (out instanceof InputTypeRecurrent r && r.getTimeSeriesLength() <= 0 && steps(in) > 1) {
            return InputType.recurrent(r.getSize(), steps(in), r.getFormat());
        }
        if (vertex instanceof SubsetVertex subset && out instanceof InputTypeConvolutional c && c.getChannels() <= 0) {
            return InputType.convolutional(c.getHeight(), c.getWidth(), subset.getTo() - subset.getFrom() + 1,
                    c.getFormat());
        }
        if (vertex instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof LossLayer) {
            return in;
        }
        return out;
    }

    /** Time steps of a sequence type; 1 for everything else (and for sequences of unknown length). */
    static long steps(InputType type) {
        return type instanceof InputTypeRecurrent r && r.getTimeSeriesLength() > 0 ? r.getTimeSeriesLength() : 1;
    }

    /** Height x width of an image type (depth x height x width for 3-D), time steps of a sequence. */
    static long positions(InputType type) {
        if (type instanceof InputTypeConvolutional c) {
            return c.getHeight() * c.getWidth();
        }
        if (type instanceof InputTypeConvolutional3D c) {
            return c.getDepth() * c.getHeight() * c.getWidth();
        }
        return steps(type);
    }
}
