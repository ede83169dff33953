package org.zoobench.zoo.blocks;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.recurrent.SimpleRnn;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;

/**
 * Stacks of recurrent layers, {@code h_t^(k) = f(h_{t-1}^(k), h_t^(k-1))}, one direction or both. A bidirectional
 * layer runs one RNN forward and one backward over the same input, each with its own weights, and merges them
 * per step, {@code Y_t = f(h_t^f, h_t^b)}.
 *
 * <p>The backward direction is built from graph vertices rather than DL4J's {@code Bidirectional} wrapper: the
 * wrapper reverses a padded sequence as a whole, so the backward RNN starts on the padding, and DL4J's LSTM does
 * not reset its state on masked steps (measured on 1.0.0-M2.1: real-step outputs moved by up to 0.02). Here
 * {@link ReverseRealSteps} reverses only each sequence's real steps, so padding never reaches them.
 */
public final class RecurrentBlocks {

    /** The recurrent cell inside each layer (and inside each direction of a bidirectional layer). */
    public enum Cell {
        /** DL4J's LSTM (no peepholes): 4 gates, each reading the input and the previous output. */
        LSTM,
        /** Elman RNN, {@code h_t = tanh(W x_t + U h_{t-1} + b)}: the notes' recurrence. */
        SIMPLE_RNN
    }

    /** How a bidirectional layer merges the forward and backward outputs of one step. */
    public enum Merge {
        CONCAT, ADD, AVERAGE, MULTIPLY;

        GraphVertex vertex() {
            return switch (this) {
                case CONCAT -> new MergeVertex();
                case ADD -> new ElementWiseVertex(ElementWiseVertex.Op.Add);
                case AVERAGE -> new ElementWiseVertex(ElementWiseVertex.Op.Average);
                case MULTIPLY -> new ElementWiseVertex(ElementWiseVertex.Op.Product);
            };
        }
    }

    /**
     * A stack of {@code depth} recurrent layers of {@code width} units per direction. {@code dropout} is the
     * probability of dropping a unit of one layer's output before the next layer reads it (0 for none).
     * With {@code bidirectional} false the merge mode is ignored: the stack is the causal twin, same widths.
     */
    public record Stack(Cell cell, boolean bidirectional, Merge merge, int depth, int width, double dropout) {

        public Stack {
            if (depth < 1 || width < 1) {
                throw new IllegalArgumentException("a recurrent stack needs depth >= 1 and width >= 1, got "
                        + depth + " x " + width);
            }
            if (dropout < 0 || dropout >= 1) {
                throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
            }
        }

        /** The same stack running forward only (causal): same cell, depth, width and dropout. */
        public Stack unidirectional() {
            return new Stack(cell, false, merge, depth, width, dropout);
        }

        /** Values per step that the stack outputs: both directions side by side only when concatenated. */
        public int outputWidth() {
            return bidirectional && merge == Merge.CONCAT ? 2 * width : width;
        }
    }

    private RecurrentBlocks() {
    }

    /**
     * Adds the stack on top of {@code input} (a [batch, features, time] sequence whose mask, if any, is that of
     * the graph input {@code maskInput}). Layer k is named {@code name+k}; a bidirectional one is the merge of
     * {@code name+k_fwd} and {@code name+k_bwd} (run on the reversed sequence, then reversed back). Dropout
     * layers are {@code name+k_dropout}. Returns the name of the stack's output.
     */
    public static String stack(GraphBuilder graph, String name, String input, String maskInput, Stack stack) {
        String previous = input;
        for (int k = 1; k <= stack.depth(); k++) {
            if (k > 1 && stack.dropout() > 0) {
                String drop = name + (k - 1) + "_dropout";
                // DL4J's dropout argument is the probability of keeping a unit.
                graph.addLayer(drop, new DropoutLayer.Builder(1 - stack.dropout()).build(), previous);
                previous = drop;
            }
            String layer = name + k;
            if (stack.bidirectional()) {
                graph.addLayer(layer + "_fwd", cell(stack.cell(), stack.width()), previous);
                graph.addVertex(layer + "_reversed", new ReverseRealSteps(maskInput), previous);
                graph.addLayer(layer + "_bwd", cell(stack.cell(), stack.width()), layer + "_reversed");
                graph.addVertex(layer + "_bwd_in_time_order", new ReverseRealSteps(maskInput), layer + "_bwd");
                graph.addVertex(layer, stack.merge().vertex(), layer + "_fwd", layer + "_bwd_in_time_order");
            } else {
                graph.addLayer(layer, cell(stack.cell(), stack.width()), previous);
            }
            previous = layer;
        }
        return previous;
    }

    /** One direction's recurrent layer; nIn is inferred from the graph's input types. */
    private static BaseRecurrentLayer cell(Cell cell, int width) {
        // Xavier, not the graph-wide He default: the cells squash with tanh and sigmoid, not ReLU.
        return switch (cell) {
            case LSTM -> new LSTM.Builder().nOut(width).activation(Activation.TANH)
                    .weightInit(WeightInit.XAVIER).build();
            case SIMPLE_RNN -> new SimpleRnn.Builder().nOut(width).activation(Activation.TANH)
                    .weightInit(WeightInit.XAVIER).build();
        };
    }
}
