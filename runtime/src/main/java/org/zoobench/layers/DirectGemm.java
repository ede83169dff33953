package org.zoobench.layers;

import java.lang.ref.WeakReference;
import java.lang.reflect.Field;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.blas.Level3;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.cpu.nativecpu.blas.CpuLevel3;
import org.nd4j.linalg.factory.BaseNDArrayFactory;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J 1.0.0-M2.1 sends every matrix product (dense layers, LSTM steps, {@code INDArray.mmul}) through libnd4j's
 * {@code matmul} op, which is several times slower than OpenBLAS's {@code cblas_sgemm}, shipped by the same backend,
 * on the products of a training step (docs/fast-layers.md). This {@link Level3} calls OpenBLAS directly for float
 * and double on the CPU backend (ND4J's CpuLevel3 holds the same calls, commented out in M2.1), for products of at
 * least {@link #MIN_MACS} multiply-adds, and leaves smaller ones and every other type to ND4J.
 * <p>
 * ND4J has one Level3 per JVM, but the choice is each graph's ({@link #choose}): once installed, this Level3 sends
 * a product to OpenBLAS only when one of its factors lies in the parameters of a graph that chose it (a layer's
 * weights, or a view of them: every product of DL4J's dense, output and im2col convolution layers reads them), and
 * every other product, whichever graph it belongs to, to ND4J's own code exactly as when nothing is installed.
 */
final class DirectGemm extends CpuLevel3 {

    private static final int COL_MAJOR = openblas.CblasColMajor;
    private static final int NO_TRANS = openblas.CblasNoTrans;
    private static final int TRANS = openblas.CblasTrans;

    /**
     * Below about two million multiply-adds (an LSTM step, LeNet's last layers) OpenBLAS's threads and libnd4j's
     * spinning OpenMP workers contend for the two cores and the direct call is slower than ND4J's; measured with
     * StepProfile (docs/fast-layers.md).
     */
    private static final long MIN_MACS = 1L << 21;

    /** The graphs whose large products run on OpenBLAS, by the address range of their parameters. */
    private static final List<ChosenGraph> CHOSEN = new CopyOnWriteArrayList<>();

    /**
     * Makes {@code graph}'s large float and double products run on OpenBLAS ({@code direct}) or on ND4J's matmul,
     * leaving every other graph's choice as it was. Installs this Level3 the first time a graph asks for OpenBLAS; it
     * stays installed, and without a graph that chose it does what ND4J's own does.
     */
    static synchronized void choose(ComputationGraph graph, boolean direct) {
        CHOSEN.removeIf(chosen -> chosen.graph().get() == null || chosen.graph().get() == graph);
        if (!direct || !Nd4j.getEnvironment().isCPU()) {
            return;
        }
        if (!(factoryLevel3() instanceof DirectGemm)) {
            setFactoryLevel3(new DirectGemm());
        }
        INDArray params = graph.params();
        long start = params.data().address();
        CHOSEN.add(new ChosenGraph(new WeakReference<>(graph), start,
                start + params.length() * params.data().getElementSize()));
    }

    /**
     * A graph that chose OpenBLAS and where its parameters lie: the graph keeps its parameter array, and so that
     * memory, for as long as it lives, and is not kept alive by this list.
     */
    private record ChosenGraph(WeakReference<ComputationGraph> graph, long start, long end) {

        boolean holds(INDArray x) {
            if (x.isEmpty()) {
                return false; // no buffer
            }
            long address = x.data().address(); // a view's address is that of its first element
            return address >= start && address < end && graph.get() != null;
        }
    }

    /** Whether {@code a} or {@code b} is (a view of) the parameters of a graph that chose OpenBLAS. */
    private static boolean ofAChosenGraph(INDArray a, INDArray b) {
        for (ChosenGraph chosen : CHOSEN) {
            if (chosen.holds(a) || chosen.holds(b)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void gemm(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                     double beta) {
        DataType type = c.dataType();
        if ((type != DataType.FLOAT && type != DataType.DOUBLE) || a.dataType() != type || b.dataType() != type
                || a.rank() != 2 || b.rank() != 2 || c.rank() != 2
                || c.length() * (transposeA ? a.size(0) : a.size(1)) < MIN_MACS || !ofAChosenGraph(a, b)) {
            super.gemm(a, b, c, transposeA, transposeB, alpha, beta);
            return;
        }
        multiply(a, b, c, transposeA, transposeB, alpha, beta);
    }

    /** C = alpha op(A) op(B) + beta C with OpenBLAS, for 2-D float or double arrays of any layout. */
    static void multiply(INDArray a, INDArray b, INDArray c, boolean transposeA, boolean transposeB, double alpha,
                         double beta) {
        DataType type = c.dataType();
        Operand left = Operand.of(a, transposeA);
        Operand right = Operand.of(b, transposeB);
        long m = c.size(0);
        long n = c.size(1);
        long k = transposeA ? a.size(0) : a.size(1);
        if (columnMajorLd(c) > 0) {
            // C = op(A) op(B), all column-major
            product(type, m, n, k, alpha, left, right, beta, c, columnMajorLd(c));
        } else if (rowMajorLd(c) > 0) {
            // a row-major C is a column-major C^T = op(B)^T op(A)^T
            product(type, n, m, k, alpha, right.transposed(), left.transposed(), beta, c, rowMajorLd(c));
        } else {
            INDArray result = c.dup('f');
            product(type, m, n, k, alpha, left, right, beta, result, columnMajorLd(result));
            c.assign(result);
        }
    }

    @Override
    public void gemm(char order, char transA, char transB, double alpha, INDArray a, INDArray b, double beta,
                     INDArray c) {
        if (ofAChosenGraph(a, b)) {
            gemm(a, b, c, false, false, alpha, beta);
        } else {
            super.gemm(order, transA, transB, alpha, a, b, beta, c);
        }
    }

    private static void product(DataType type, long m, long n, long k, double alpha, Operand a, Operand b,
                                double beta, INDArray c, long ldc) {
        if (type == DataType.FLOAT) {
            openblas.cblas_sgemm(COL_MAJOR, a.trans(), b.trans(), (int) m, (int) n, (int) k, (float) alpha,
                    floats(a.array()), (int) a.ld(), floats(b.array()), (int) b.ld(), (float) beta, floats(c), (int) ldc);
        } else {
            openblas.cblas_dgemm(COL_MAJOR, a.trans(), b.trans(), (int) m, (int) n, (int) k, alpha,
                    doubles(a.array()), (int) a.ld(), doubles(b.array()), (int) b.ld(), beta, doubles(c), (int) ldc);
        }
    }

    /**
     * One factor as OpenBLAS sees it: a column-major array with leading dimension {@code ld}, used transposed or
     * not. A row-major array is its own transpose in column-major terms; any other layout is copied first.
     */
    private record Operand(INDArray array, long ld, boolean transpose) {

        static Operand of(INDArray x, boolean transpose) {
            if (columnMajorLd(x) > 0) {
                return new Operand(x, columnMajorLd(x), transpose);
            }
            if (rowMajorLd(x) > 0) {
                return new Operand(x, rowMajorLd(x), !transpose);
            }
            INDArray copy = x.dup('f');
            return new Operand(copy, columnMajorLd(copy), transpose);
        }

        Operand transposed() {
            return new Operand(array, ld, !transpose);
        }

        int trans() {
            return transpose ? TRANS : NO_TRANS;
        }
    }

    /** The leading dimension if {@code x} is laid out column-major (unit stride down a column), else 0. */
    private static long columnMajorLd(INDArray x) {
        long rows = x.size(0);
        long cols = x.size(1);
        if ((x.stride(0) == 1 || rows == 1) && (cols == 1 || x.stride(1) >= Math.max(1, rows))) {
            return cols == 1 ? Math.max(1, rows) : x.stride(1);
        }
        return 0;
    }

    /** The leading dimension if {@code x} is laid out row-major (unit stride along a row), else 0. */
    private static long rowMajorLd(INDArray x) {
        long rows = x.size(0);
        long cols = x.size(1);
        if ((x.stride(1) == 1 || cols == 1) && (rows == 1 || x.stride(0) >= Math.max(1, cols))) {
            return rows == 1 ? Math.max(1, cols) : x.stride(0);
        }
        return 0;
    }

    /** A view's buffer already starts at the view's first element (DirectGemmTest checks offsets). */
    private static FloatPointer floats(INDArray x) {
        return new FloatPointer(x.data().addressPointer());
    }

    private static DoublePointer doubles(INDArray x) {
        return new DoublePointer(x.data().addressPointer());
    }

    private static Level3 factoryLevel3() {
        return Nd4j.factory().level3();
    }

    private static void setFactoryLevel3(Level3 level3) {
        try {
            Field field = BaseNDArrayFactory.class.getDeclaredField("level3");
            field.setAccessible(true); // ND4J has no setter for its Level3
            field.set(Nd4j.factory(), level3);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("ND4J's NDArray factory has no 'level3' field to set", e);
        }
    }
}
