import org.bytedeco.javacpp.Pointer;
public class PhysicalBytesCost {
    public static void main(String[] a) {
        for (int r = 0; r < 5; r++) {
            long t = System.nanoTime(); long s = 0;
            for (int i = 0; i < 100000; i++) s += Pointer.physicalBytesInaccurate(1L << 40);
            System.out.printf("%.2f us/call (%d)%n", (System.nanoTime() - t) / 1e3 / 100000, s % 7);
        }
        System.out.println("maxPhysicalBytes " + Pointer.maxPhysicalBytes() + " maxBytes " + Pointer.maxBytes());
    }
}
