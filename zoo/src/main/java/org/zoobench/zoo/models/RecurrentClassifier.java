package org.zoobench.zoo.models;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration.GraphBuilder;
import org.zoobench.UserInputException;
import org.zoobench.zoo.InputShape;
import org.zoobench.zoo.ModelOptions;
import org.zoobench.zoo.blocks.Graphs;
import org.zoobench.zoo.blocks.RecurrentBlocks.Cell;
import org.zoobench.zoo.blocks.RecurrentBlocks.Merge;
import org.zoobench.zoo.blocks.RecurrentBlocks;
import org.zoobench.zoo.blocks.SequenceHeads;

import java.util.Locale;

/**
 * A recurrent network over [batch, features, time] sequences (docs/reference-facts.md §4; Schuster &
 * Paliwal 1997 for the bidirectional form): a stack of K recurrent layers, forward only or forward and backward with
 * {@code Y_t = f(h_t^f, h_t^b)}, then a head. Every configuration has a causal twin with the same widths
 * ({@link #unidirectional()}), so the value of seeing the future can be measured.
 */
public record RecurrentClassifier(RecurrentBlocks.Stack stack, Head head) {

    /** What the network outputs. */
    public enum Head {
        /** One label per sequence: per-step class scores, {@code Y = max_t Y_t} (the notes' form). */
        MAX,
        /** One label per sequence: {@code Y = mean_t Y_t} over the real steps. */
        MEAN,
        /** One label per sequence from the hidden state at the last real step. */
        LAST,
        /** One label per step; labels are [batch, classes, time]. */
        PER_STEP
    }

    /** The sequence classifiers' size: two layers of 64 units per direction, 20% dropout between them. */
    private static final int CLASSIFIER_DEPTH = 2;
    private static final int CLASSIFIER_WIDTH = 64;
    private static final double CLASSIFIER_DROPOUT = 0.2;
    /** The taggers' size: one layer of 32 units, no dropout (the future-context task needs no more). */
    private static final int TAGGER_DEPTH = 1;
    private static final int TAGGER_WIDTH = 32;

    /** A bidirectional sequence classifier of the zoo's size, {@code head} giving one label per sequence. */
    public static RecurrentClassifier classifier(Cell cell, Merge merge, Head head) {
        return bidirectional(cell, merge, CLASSIFIER_DEPTH, CLASSIFIER_WIDTH, CLASSIFIER_DROPOUT, head);
    }

    /** A bidirectional per-step labeller of the zoo's size. */
    public static RecurrentClassifier tagger(Cell cell) {
        return bidirectional(cell, Merge.CONCAT, TAGGER_DEPTH, TAGGER_WIDTH, 0, Head.PER_STEP);
    }

    public static RecurrentClassifier bidirectional(Cell cell, Merge merge, int depth, int width, double dropout,
                                                    Head head) {
        return new RecurrentClassifier(new RecurrentBlocks.Stack(cell, true, merge, depth, width, dropout), head);
    }

    public static RecurrentClassifier unidirectional(Cell cell, int depth, int width, double dropout, Head head) {
        return new RecurrentClassifier(new RecurrentBlocks.Stack(cell, false, Merge.CONCAT, depth, width, dropout),
                head);
    }

    /** The causal twin: the same cell, depth, widths, dropout and head, forward in time only. */
    public RecurrentClassifier unidirectional() {
        return new RecurrentClassifier(stack.unidirectional(), head);
    }

    /** E.g. "bidirectional 2x64 LSTM, directions merged by add, max over time". */
    public String describe() {
        String merge = stack.bidirectional() && stack.merge() != Merge.CONCAT
                ? ", directions merged by " + stack.merge().name().toLowerCase(Locale.ROOT) : "";
        return String.format(Locale.ROOT, "%s %dx%d %s%s, %s", stack.bidirectional() ? "bidirectional" : "causal",
                stack.depth(), stack.width(), stack.cell() == Cell.LSTM ? "LSTM" : "simple RNN", merge,
                switch (head) {
                    case MAX -> "max over time";
                    case MEAN -> "mean over time";
                    case LAST -> "last step";
                    case PER_STEP -> "one label per step";
                });
    }

    public ComputationGraphConfiguration configuration(ModelOptions options) {
        if (!(options.input() instanceof InputShape.Sequence)) {
            throw new UserInputException("recurrent models read sequences given as FxT (features x steps, e.g. "
                    + "28x28), not the image shape " + options.input());
        }
        GraphBuilder graph = Graphs.start(options);
        String hidden = RecurrentBlocks.stack(graph, "rnn", Graphs.INPUT, Graphs.INPUT, stack);
        int classes = options.numClasses();
        GraphBuilder withHead = switch (head) {
            case MAX -> SequenceHeads.maxOverTime(graph, hidden, classes);
            case MEAN -> SequenceHeads.meanOverTime(graph, hidden, classes);
            case LAST -> SequenceHeads.lastStep(graph, hidden, Graphs.INPUT, classes);
            case PER_STEP -> SequenceHeads.perStep(graph, hidden, classes);
        };
        return withHead.build();
    }
}
