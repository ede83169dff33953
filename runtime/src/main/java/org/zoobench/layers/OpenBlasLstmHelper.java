package org.zoobench.layers;

import static org.nd4j.linalg.indexing.NDArrayIndex.all;
import static org.nd4j.linalg.indexing.NDArrayIndex.interval;
import static org.nd4j.linalg.indexing.NDArrayIndex.point;

import java.util.Arrays;
import java.util.Map;
import java.util.function.Function;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.recurrent.FwdPassReturn;
import org.deeplearning4j.nn.layers.recurrent.LSTMHelper;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationTanH;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DL4J {@link LSTMHelper} that computes exactly what DL4J's {@code LSTMHelpers} computes for an LSTM without
 * peepholes (sigmoid gates, tanh block input and cell output), with OpenBLAS products over whole sequences in place
 * of DL4J's dozens of small ND4J ops per time step. Forward: the input projection of every step is one product,
 * then each step is one product with the recurrent weights and a Java loop over the gates. Backward: one product
 * per step carries the error to the previous step; the weight gradients and the input gradient are one product
 * each. DL4J's LSTM runs the forward pass again before every backward pass; a training pass is kept (outside
 * DL4J's workspaces) and reused when the inputs, parameters, initial state and mask are bit for bit the same.
 * libnd4j's own {@code lstmLayer_bp} measured slower than DL4J's Java loop on these shapes and knows only sequence
 * lengths, not DL4J's per-step masks (docs/fast-layers.md).
 * <p>
 * DL4J's semantics are kept to the letter, including their oddities: a masked step zeroes the output and the cell
 * state carried to the next step, and the backward pass ignores the mask (DL4J's LSTM passes none to it), so
 * errors flow through masked steps as DL4J's do. Gate blocks stay in DL4J's order, {@code [block input, forget,
 * output, input gate]}, so no weight is permuted.
 * <p>
 * Internally every sequence is a column-major matrix whose row {@code t * batch + b} holds example {@code b} at
 * step {@code t}, so one step is a block of consecutive rows and a whole sequence is one matrix for OpenBLAS.
 */
final class OpenBlasLstmHelper extends FastLayerHelper implements LSTMHelper {

    private final String layerName;
    private Pass trainingPass;

    OpenBlasLstmHelper(String layerName) {
        this.layerName = layerName;
    }

    /** Whether this helper computes an LSTM with these activations: DL4J's default ones, and no peepholes. */
    static boolean supports(IActivation gateActivation, IActivation activation, boolean peepholes) {
        return gateActivation instanceof ActivationSigmoid && activation instanceof ActivationTanH && !peepholes;
    }

    @Override
    public boolean checkSupported(IActivation gateActivationFn, IActivation activationFn,
                                  boolean hasPeepholeConnections) {
        return supports(gateActivationFn, activationFn, hasPeepholeConnections);
    }

    @Override
    public FwdPassReturn activate(Layer layer, NeuralNetConfiguration conf, IActivation gateActivationFn,
                                  INDArray input, INDArray recurrentWeights, INDArray inputWeights, INDArray biases,
                                  boolean training, INDArray prevOutputActivations, INDArray prevMemCellState,
                                  boolean forBackprop, boolean forwards, String inputWeightKey, INDArray maskArray,
                                  boolean hasPeepholeConnections, LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "forward", () -> {
            IActivation activation = ((org.deeplearning4j.nn.conf.layers.BaseLayer) conf.getLayer()).getActivationFn();
            if (!supports(gateActivationFn, activation, hasPeepholeConnections) || !forwards) {
                throw new IllegalStateException("only forward LSTMs with sigmoid gates, tanh and no peepholes");
            }
            INDArray x = input.castTo(inputWeights.dataType());
            double[] bias = biases.toDoubleVector();
            double[][] mask = maskArray == null ? null : maskArray.toDoubleMatrix();
            Pass pass;
            if (forBackprop && trainingPass != null && trainingPass.ranOn(x, inputWeights, recurrentWeights, bias,
                    prevOutputActivations, prevMemCellState, mask, workspaceMgr)) {
                // DL4J's LSTM runs its forward pass again before every backward pass; same inputs, same results
                pass = trainingPass;
            } else {
                pass = training ? trainingPass(x, inputWeights, recurrentWeights)
                        : new Pass(x, inputWeights, recurrentWeights, shape -> workspaceMgr.createUninitialized(
                        ArrayType.FF_WORKING_MEM, inputWeights.dataType(), shape, 'c'));
                pass.forward(x, inputWeights, recurrentWeights, bias, prevOutputActivations, prevMemCellState, mask);
            }
            FwdPassReturn result = pass.result();
            result.fwdPassOutput = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, pass.type,
                    new long[]{pass.batch, pass.units, pass.steps}, 'f');
            result.fwdPassOutput.assign(pass.stepsOf(pass.hidden.array).permute(2, 0, 1));
            result.prevAct = prevOutputActivations;
            result.prevMemCell = prevMemCellState;
            return result;
        });
    }

    /**
     * The pass for a training minibatch: in memory outside DL4J's workspaces, so that the backward pass can reuse
     * it, and reused from one minibatch to the next of the same shape.
     */
    private Pass trainingPass(INDArray x, INDArray inputWeights, INDArray recurrentWeights) {
        if (trainingPass == null || !trainingPass.fits(x, recurrentWeights)) {
            trainingPass = null; // its memory can go before the next pass's is taken
            trainingPass = new Pass(x, inputWeights, recurrentWeights,
                    shape -> Nd4j.createUninitializedDetached(inputWeights.dataType(), 'c', shape));
        }
        return trainingPass;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(NeuralNetConfiguration conf, IActivation gateActivationFn,
                                                     INDArray input, INDArray recurrentWeights,
                                                     INDArray inputWeights, INDArray epsilon, boolean truncatedBPTT,
                                                     int tbpttBackwardLength, FwdPassReturn fwdPass,
                                                     boolean forwards, String inputWeightKey,
                                                     String recurrentWeightKey, String biasWeightKey,
                                                     Map<String, INDArray> gradientViews, INDArray maskArray,
                                                     boolean hasPeepholeConnections,
                                                     LayerWorkspaceMgr workspaceMgr) {
        return Fallbacks.guard(layerName, "backward", () -> {
            if (!(fwdPass instanceof PassResult result)) {
                throw new IllegalStateException("the forward pass did not run through this helper");
            }
            Pass pass = result.pass;
            int firstStep = truncatedBPTT ? Math.max(0, pass.steps - tbpttBackwardLength) : 0;
            INDArray inputGradient = pass.backward(epsilon, firstStep, gradientViews.get(inputWeightKey),
                    gradientViews.get(recurrentWeightKey), gradientViews.get(biasWeightKey), workspaceMgr);
            Gradient gradient = new DefaultGradient();
            gradient.gradientForVariable().put(inputWeightKey, gradientViews.get(inputWeightKey));
            gradient.gradientForVariable().put(recurrentWeightKey, gradientViews.get(recurrentWeightKey));
            gradient.gradientForVariable().put(biasWeightKey, gradientViews.get(biasWeightKey));
            return new Pair<>(gradient, inputGradient);
        });
    }

    /** What DL4J's LSTM gets back from a forward pass: the pass itself, for the backward pass. */
    private static final class PassResult extends FwdPassReturn {
        final Pass pass;

        PassResult(Pass pass) {
            this.pass = pass;
        }
    }

    /** One forward pass over a minibatch and what its backward pass needs, in memory from {@code allocate}. */
    private static final class Pass {
        final DataType type;
        final int batch;
        final int inputs;
        final int units;
        final int steps;
        /** {@code steps * batch} rows: every step of every example. */
        final int rows;
        /** The input, {@code rows x inputs}. */
        final BlasMatrix x;
        final BlasMatrix inputWeights;
        final BlasMatrix recurrentWeights;
        /** Gate pre-activations, then activations: {@code rows x 4 units}, blocks in DL4J's order. */
        final BlasMatrix gates;
        /** Outputs (masked), {@code (steps + 1) * batch} rows: the initial state first, then every step. */
        final BlasMatrix hidden;
        /** Cell states (masked), laid out like {@link #hidden}. */
        final BlasMatrix cells;
        /** tanh of each cell state before masking, {@code rows x units}. */
        final BlasMatrix cellTanh;
        double[] bias;
        double[][] mask;

        Pass(INDArray input, INDArray inputWeights, INDArray recurrentWeights, Function<long[], INDArray> allocate) {
            this.type = inputWeights.dataType();
            this.batch = (int) input.size(0);
            this.inputs = (int) input.size(1);
            this.units = (int) recurrentWeights.size(0);
            this.steps = (int) input.size(2);
            this.rows = steps * batch;
            x = sequence(allocate, inputs, steps);
            this.inputWeights = BlasMatrix.of(allocate.apply(new long[]{4L * units, inputs}), inputs);
            this.recurrentWeights = BlasMatrix.of(allocate.apply(new long[]{4L * units, units}), units);
            gates = sequence(allocate, 4 * units, steps);
            hidden = sequence(allocate, units, steps + 1);
            cells = sequence(allocate, units, steps + 1);
            cellTanh = sequence(allocate, units, steps);
        }

        /** A column-major {@code (steps * batch) x columns} matrix, as a C-order [columns, steps, batch] array. */
        private BlasMatrix sequence(Function<long[], INDArray> allocate, int columns, int steps) {
            return BlasMatrix.of(allocate.apply(new long[]{columns, steps, batch}), (long) steps * batch);
        }

        boolean fits(INDArray input, INDArray recurrentWeights) {
            return input.size(0) == batch && input.size(1) == inputs && input.size(2) == steps
                    && recurrentWeights.size(0) == units && recurrentWeights.dataType() == type;
        }

        /** Whether this pass ran on exactly these inputs, bit for bit. */
        boolean ranOn(INDArray input, INDArray inputWeights, INDArray recurrentWeights, double[] bias,
                      INDArray initialOutput, INDArray initialCell, double[][] mask, LayerWorkspaceMgr workspaces) {
            return fits(input, recurrentWeights) && Arrays.equals(bias, this.bias) && Arrays.deepEquals(mask, this.mask)
                    && same(x.array, input.permute(1, 2, 0), workspaces)
                    && same(this.inputWeights.array, columnMajor(inputWeights), workspaces)
                    && same(this.recurrentWeights.array, columnMajor(recurrentWeights), workspaces)
                    && same(stepOf(hidden.array, 0), initialOutput.transpose(), workspaces)
                    && same(stepOf(cells.array, 0), initialCell.transpose(), workspaces);
        }

        /** {@code fresh} equals {@code stored} element for element (both the same shape). */
        private static boolean same(INDArray stored, INDArray fresh, LayerWorkspaceMgr workspaces) {
            BlasMatrix a = BlasMatrix.of(stored.isView() ? workspaces.dup(ArrayType.BP_WORKING_MEM, stored, 'c') : stored, 1);
            BlasMatrix b = BlasMatrix.of(workspaces.dup(ArrayType.BP_WORKING_MEM, fresh.castTo(stored.dataType()), 'c'),
                    1);
            for (int i = 0; i < stored.length(); i++) {
                if (a.get(i) != b.get(i)) {
                    return false;
                }
            }
            return true;
        }

        /** A DL4J weight matrix [rows, cols] viewed as the C-order [cols, rows] array of its column-major copy. */
        private static INDArray columnMajor(INDArray weights) {
            return weights.transpose();
        }

        /** The [columns, batch] slice of step {@code s} of a sequence array. */
        private static INDArray stepOf(INDArray sequence, int s) {
            return sequence.get(all(), point(s), all());
        }

        /** Steps 1..steps of a sequence array that holds the initial state as step 0. */
        INDArray stepsOf(INDArray withInitial) {
            return withInitial.get(all(), interval(1, steps + 1), all());
        }

        /** What DL4J's LSTM reads after a forward pass: this pass, and the state after its last step. */
        PassResult result() {
            PassResult result = new PassResult(this);
            result.lastAct = hidden.array.get(all(), point(steps), all()).transpose();
            result.lastMemCell = cells.array.get(all(), point(steps), all()).transpose();
            return result;
        }

        void forward(INDArray input, INDArray inputWeights, INDArray recurrentWeights, double[] bias,
                     INDArray initialOutput, INDArray initialCell, double[][] mask) {
            this.bias = bias;
            this.mask = mask;
            x.array.assign(input.permute(1, 2, 0));
            this.inputWeights.array.assign(columnMajor(inputWeights));
            this.recurrentWeights.array.assign(columnMajor(recurrentWeights));
            stepOf(hidden.array, 0).assign(initialOutput.transpose());
            stepOf(cells.array, 0).assign(initialCell.transpose());
            BlasMatrix.gemm(false, false, rows, 4L * units, inputs, x, 0, this.inputWeights, 0.0, gates, 0);
            int gateBlock = rows * units;
            for (int t = 0; t < steps; t++) {
                BlasMatrix.gemm(false, false, batch, 4L * units, units, hidden, (long) t * batch,
                        this.recurrentWeights, 1.0, gates, (long) t * batch);
                for (int j = 0; j < units; j++) {
                    int blockInput = t * batch + rows * j;
                    int previous = t * batch + hidden.ld * j;
                    for (int b = 0; b < batch; b++) {
                        int g = blockInput + b;
                        double a = tanh(gates.get(g) + bias[j]);
                        double f = sigmoid(gates.get(g + gateBlock) + bias[units + j]);
                        double o = sigmoid(gates.get(g + 2 * gateBlock) + bias[2 * units + j]);
                        double i = sigmoid(gates.get(g + 3 * gateBlock) + bias[3 * units + j]);
                        double c = f * cells.get(previous + b) + i * a;
                        double cTanh = tanh(c);
                        double h = o * cTanh;
                        if (mask != null) {
                            // DL4J zeroes masked steps' output and the cell state the next step starts from
                            h *= mask[b][t];
                            c *= mask[b][t];
                        }
                        gates.set(g, a);
                        gates.set(g + gateBlock, f);
                        gates.set(g + 2 * gateBlock, o);
                        gates.set(g + 3 * gateBlock, i);
                        cellTanh.set(g, cTanh);
                        cells.set(previous + batch + b, c);
                        hidden.set(previous + batch + b, h);
                    }
                }
            }
        }

        /**
         * DL4J's backward pass for the steps from {@code firstStep} on (earlier ones get no error: truncated
         * BPTT); writes the parameter gradients into the gradient views and returns the input gradient.
         */
        INDArray backward(INDArray epsilon, int firstStep, INDArray inputWeightGradient,
                          INDArray recurrentWeightGradient, INDArray biasGradient, LayerWorkspaceMgr workspaces) {
            Function<long[], INDArray> allocate =
                    shape -> workspaces.createUninitialized(ArrayType.BP_WORKING_MEM, type, shape, 'c');
            // The error reaching each step's output, to which the next step's error is added as it is known
            BlasMatrix outputError = sequence(allocate, units, steps);
            outputError.array.assign(epsilon.castTo(type).permute(1, 2, 0));
            BlasMatrix gateErrors = sequence(firstStep > 0
                    ? shape -> workspaces.create(ArrayType.BP_WORKING_MEM, type, shape, 'c') : allocate, 4 * units, steps);
            double[] cellError = new double[units * batch];
            int gateBlock = rows * units;
            for (int t = steps - 1; t >= firstStep; t--) {
                if (t < steps - 1) {
                    BlasMatrix.gemm(false, true, batch, units, 4L * units, gateErrors, (long) (t + 1) * batch,
                            recurrentWeights, 1.0, outputError, (long) t * batch);
                }
                for (int j = 0; j < units; j++) {
                    int blockInput = t * batch + rows * j;
                    int current = (t + 1) * batch + hidden.ld * j;
                    for (int b = 0; b < batch; b++) {
                        int g = blockInput + b;
                        double a = gates.get(g);
                        double f = gates.get(g + gateBlock);
                        double o = gates.get(g + 2 * gateBlock);
                        double i = gates.get(g + 3 * gateBlock);
                        double cTanh = cellTanh.get(g);
                        double error = outputError.get(g);
                        // DL4J differentiates tanh at the stored (masked) cell state
                        double m = mask == null ? 1.0 : mask[b][t];
                        double storedTanh = m == 1.0 ? cTanh : tanh(cells.get(current + b));
                        double dCell = o * error * (1 - storedTanh * storedTanh);
                        if (t < steps - 1) {
                            dCell += gates.get(g + batch + gateBlock) * cellError[j * batch + b];
                        }
                        cellError[j * batch + b] = dCell;
                        gateErrors.set(g, (1 - a * a) * i * dCell);
                        gateErrors.set(g + gateBlock, f * (1 - f) * dCell * cells.get(current - batch + b));
                        gateErrors.set(g + 2 * gateBlock, error * cTanh * o * (1 - o));
                        gateErrors.set(g + 3 * gateBlock, i * (1 - i) * a * dCell);
                    }
                }
            }
            BlasMatrix weightGradient = BlasMatrix.of(allocate.apply(new long[]{4L * units, inputs}), inputs);
            BlasMatrix.gemm(true, false, inputs, 4L * units, rows, x, 0, gateErrors, 0.0, weightGradient, 0);
            inputWeightGradient.assign(weightGradient.array.transpose());
            // hidden's first rows are each step's previous output
            BlasMatrix recurrentGradient = BlasMatrix.of(allocate.apply(new long[]{4L * units, units}), units);
            BlasMatrix.gemm(true, false, units, 4L * units, rows, hidden, 0, gateErrors, 0.0, recurrentGradient, 0);
            recurrentWeightGradient.assign(recurrentGradient.array.transpose());
            biasGradient.assign(gateErrors.array.sum(1, 2).reshape(biasGradient.shape()));

            BlasMatrix inputError = sequence(allocate, inputs, steps);
            BlasMatrix.gemm(false, true, rows, inputs, 4L * units, gateErrors, 0, inputWeights, 0.0, inputError, 0);
            INDArray inputGradient = workspaces.createUninitialized(ArrayType.ACTIVATION_GRAD, type,
                    new long[]{batch, inputs, steps}, 'f');
            return inputGradient.assign(inputError.array.permute(2, 0, 1));
        }
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }

    /** Through exp, which the JIT compiles to a fast intrinsic; {@code Math.tanh} is not one. */
    private static double tanh(double z) {
        return 1 - 2 / (Math.exp(2 * z) + 1);
    }
}
