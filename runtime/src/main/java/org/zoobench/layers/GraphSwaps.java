package org.zoobench.layers;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.impl.LayerVertex;

/**
 * Puts another implementation object in place of a layer or vertex of an initialised graph, keeping its
 * configuration, parameters and connections: how DL4J's transfer learning swaps in frozen layers. The fast
 * implementation swaps in DL4J subclasses whose hot loops are faster, and the stock one swaps DL4J's own back.
 */
final class GraphSwaps {

    private GraphSwaps() {
    }

    /** Replaces {@code old}, the layer of {@code vertex}, in the vertex and in the graph's layer array. */
    static void replaceLayer(ComputationGraph graph, LayerVertex vertex, Layer old, Layer replacement) {
        replacement.setListeners(old.getListeners());
        replacement.setIndex(old.getIndex());
        set(LayerVertex.class, vertex, "layer", replacement); // DL4J has no setter
        Layer[] layers = graph.getLayers();
        for (int i = 0; i < layers.length; i++) {
            if (layers[i] == old) {
                layers[i] = replacement;
            }
        }
    }

    /**
     * Replaces {@code old} by {@code replacement}, a new layer object on the same configuration, handing it the
     * parameters, gradient views and iteration and epoch counts the old one had.
     */
    static void replaceLayerWithItsState(ComputationGraph graph, LayerVertex vertex, Layer old, Layer replacement) {
        replacement.setParamsViewArray(old.params());
        replacement.setParamTable(old.paramTable());
        if (old.getGradientsViewArray() != null) {
            replacement.setBackpropGradientsViewArray(old.getGradientsViewArray());
        }
        replacement.setIterationCount(old.getIterationCount());
        replacement.setEpochCount(old.getEpochCount());
        replaceLayer(graph, vertex, old, replacement);
    }

    /**
     * Puts in place of each layer of {@code graph} that {@code swappable} accepts and that is not yet of the class
     * wanted ({@code fastClass} for {@code fast}, else DL4J's own) the layer {@code replacement} makes from it, on
     * the same configuration, with the parameters, gradient views and counts it had.
     */
    static void swapLayersWithTheirState(ComputationGraph graph, Predicate<Layer> swappable,
                                         Class<? extends Layer> fastClass, boolean fast,
                                         UnaryOperator<Layer> replacement) {
        for (GraphVertex vertex : graph.getVertices()) {
            if (vertex instanceof LayerVertex layerVertex && swappable.test(layerVertex.getLayer())
                    && fastClass.isInstance(layerVertex.getLayer()) != fast) {
                Layer old = layerVertex.getLayer();
                replaceLayerWithItsState(graph, layerVertex, old, replacement.apply(old));
            }
        }
    }

    /** Replaces vertex {@code old} of {@code graph} (same index, name, inputs and outputs) by {@code replacement}. */
    @SuppressWarnings("unchecked")
    static void replaceVertex(ComputationGraph graph, GraphVertex old, GraphVertex replacement) {
        replacement.setOutputVertex(old.isOutputVertex());
        graph.getVertices()[old.getVertexIndex()] = replacement;
        ((Map<String, GraphVertex>) get(ComputationGraph.class, graph, "verticesMap"))
                .put(old.getVertexName(), replacement); // DL4J has no setter for either
    }

    static Object get(Class<?> owner, Object target, String name) {
        try {
            return field(owner, name).get(target);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("DL4J " + owner.getSimpleName() + "." + name + " is not readable", e);
        }
    }

    static void set(Class<?> owner, Object target, String name, Object value) {
        try {
            field(owner, name).set(target, value);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("DL4J " + owner.getSimpleName() + "." + name + " is not writable", e);
        }
    }

    static Field field(Class<?> owner, String name) {
        try {
            Field field = owner.getDeclaredField(name);
            field.setAccessible(true);
            return field;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException("DL4J " + owner.getSimpleName() + " has no '" + name + "' field", e);
        }
    }
}
