import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.zoobench.zoo.*;
public class InferCurve {
    public static void main(String[] a) throws Exception {
        ModelEntry entry = ModelRegistry.get(a[0]);
        int batch = Integer.parseInt(a[1]);
        ModelOptions o = entry.defaultOptions().withInput(InputShape.parse(a[2])).withClasses(Integer.parseInt(a[3]));
        ComputationGraph net = entry.build(o);
        boolean train = a.length > 6 && a[6].equals("train");
        INDArray x = Nd4j.randn(DataType.FLOAT, o.input().batchShape(batch));
        INDArray[] y = {Nd4j.zeros(DataType.FLOAT, batch, Integer.parseInt(a[3]))};
        for (int i = 0; i < batch; i++) y[0].putScalar(i, i % Integer.parseInt(a[3]), 1f);
        long window = (long) (Double.parseDouble(a[4]) * 1e9); int windows = Integer.parseInt(a[5]);
        long start = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        for (int w = 0; w < windows; w++) {
            long t0 = System.nanoTime(); int n = 0; long c0 = java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime();
            while (System.nanoTime() - t0 < window) { if (train) net.fit(new INDArray[]{x}, y); else net.output(false, x); n++; }
            sb.append(String.format("%.1f(%d) ", (System.nanoTime() - t0) / 1e6 / n, java.lang.management.ManagementFactory.getCompilationMXBean().getTotalCompilationTime() - c0));
        }
        System.out.println(a[0] + (train ? " train" : " infer") + " ms/step per window: " + sb);
    }
}
