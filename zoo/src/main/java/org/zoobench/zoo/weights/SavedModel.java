package org.zoobench.zoo.weights;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.util.ModelSerializer;
import org.zoobench.UserInputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A folder holding a saved model, {@value #FILE} (DL4J's ModelSerializer): an imported one or a run's. */
public record SavedModel(Path dir, ComputationGraph graph) {

    public static final String FILE = "model.zip";

    /** The model saved in {@code dir}, loaded for inference or training; a missing or damaged file in one line. */
    public static SavedModel load(Path dir) {
        Path file = dir.resolve(FILE);
        if (!Files.isRegularFile(file)) {
            throw new UserInputException("'" + dir + "' holds no " + FILE + " (a folder written by `zoobench "
                    + "import`, or a run folder DIR/runs/<run id> of train or run)");
        }
        return new SavedModel(dir, restore(file, null));
    }

    /**
     * The graph saved in {@code file}, without its updater state; a damaged file in one line, ending with
     * {@code remedy} (what the user can do about it) where one is given.
     */
    public static ComputationGraph restore(Path file, String remedy) {
        try {
            return ModelSerializer.restoreComputationGraph(file.toFile(), false);
        } catch (IOException | RuntimeException e) {
            throw new UserInputException("cannot load " + file + ": it is damaged or not a DL4J model ("
                    + UserInputException.rootMessage(e) + ")" + (remedy == null ? "" : "; " + remedy));
        }
    }

    /** The number of classes the model's classifier scores. */
    public int classes() {
        return (int) classifier(graph).getParam("W").size(1);
    }

    /**
     * The last layer with weights: the softmax output layer of the image nets, the per-step scores of the recurrent
     * ones (whose output layer has no parameters).
     */
    public static Layer classifier(ComputationGraph graph) {
        Layer last = null;
        for (int vertex : graph.topologicalSortOrder()) {
            GraphVertex v = graph.getVertices()[vertex];
            if (v.hasLayer() && v.getLayer().numParams() > 0) {
                last = v.getLayer();
            }
        }
        if (last == null) {
            throw new IllegalArgumentException("a graph without weights has no classifier");
        }
        return last;
    }
}
