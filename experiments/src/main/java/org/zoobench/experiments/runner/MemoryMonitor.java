package org.zoobench.experiments.runner;

import org.bytedeco.javacpp.Pointer;

/** Peak memory over a run, sampled at every training step: JVM heap, JavaCPP off-heap buffers, process RSS. */
final class MemoryMonitor {

    private long peakHeap;
    private long peakOffHeap;
    private long peakPhysical;

    void sample() {
        Runtime rt = Runtime.getRuntime();
        peakHeap = Math.max(peakHeap, rt.totalMemory() - rt.freeMemory());
        peakOffHeap = Math.max(peakOffHeap, Pointer.totalBytes());
        peakPhysical = Math.max(peakPhysical, Pointer.physicalBytes());
    }

    /** Continues from a checkpoint's peaks. */
    void restore(long heap, long offHeap, long physical) {
        peakHeap = Math.max(peakHeap, heap);
        peakOffHeap = Math.max(peakOffHeap, offHeap);
        peakPhysical = Math.max(peakPhysical, physical);
    }

    long peakHeap() {
        return peakHeap;
    }

    long peakOffHeap() {
        return peakOffHeap;
    }

    long peakPhysical() {
        return peakPhysical;
    }
}
