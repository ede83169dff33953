package org.zoobench.zoo.profile;

import org.deeplearning4j.nn.conf.RNNFormat;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.SubsetVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutional3D;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeConvolutionalFlat;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeFeedForward;
import org.deeplearning4j.nn.conf.inputs.InputType.InputTypeRecurrent;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
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
     * Bidirectional and the layers after them report sequences without their length, feed-forward layers applied
     * to sequences report one step; SubsetVertex reports
     * {@code from - to + 1} channels for an image subset; a parameter-free LossLayer reports its size as its unset nOut, 0.
     */
    static InputType repair(GraphVertex vertex, InputType in, InputType out) {
        Layer layer = vertex instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
        if (layer instanceof LossLayer) {
            return in;
        }
        if (layer instanceof GlobalPoolingLayer pooling && pooling.isCollapseDimensions()
                && out instanceof InputTypeRecurrent r) {
            return InputType.feedForward(r.getSize()); // pooled over time; DL4J still reports a sequence
        }
        if (out instanceof InputTypeRecurrent r && r.getTimeSeriesLength() <= 0 && steps(in) > 1) {
            return InputType.recurrent(r.getSize(), steps(in), r.getFormat());
        }
        if (out instanceof InputTypeFeedForward f && f.getTimeDistributedFormat() instanceof RNNFormat format
                && steps(in) > 1) {
            return InputType.recurrent(f.getSize(), steps(in), format); // a layer applied at every step
        }
        if (vertex instanceof SubsetVertex subset && out instanceof InputTypeConvolutional c && c.getChannels() <= 0) {
            return InputType.convolutional(c.getHeight(), c.getWidth(), subset.getTo() - subset.getFrom() + 1,
                    c.getFormat());
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
