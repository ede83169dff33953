package org.zoobench.cli;

/**
 * JavaCPP's check of the process's resident memory, which ZooBench's JVMs switch off. JavaCPP reads
 * /proc/self/statm each time it registers a native pointer, and ND4J registers one for every array it creates
 * (its shape): about 1,700 reads a ResNet-20 training step at batch 32, several milliseconds of a 50-ms step. ND4J's
 * array buffers are not JavaCPP pointers, so the check only sees them through the resident size, and by default it
 * allows four times the heap (32 GB under the launcher's -Xmx8g). What guards memory instead: the runner's and the
 * bench's estimates against what Linux says is available ({@code MemoryEstimate}). docs/fast-layers.md
 */
final class JavaCppMemoryCheck {

    /** JavaCPP's limit on the process's resident bytes; 0 switches the check off. */
    static final String PROPERTY = "org.bytedeco.javacpp.maxphysicalbytes";
    /** The same limit under the spelling JavaCPP also reads (and prefers). */
    private static final String CAMEL_CASE_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

    private JavaCppMemoryCheck() {
    }

    /** Switches the check off in this JVM unless the user set a limit; only before JavaCPP is loaded. */
    static void offUnlessSet() {
        if (System.getProperty(PROPERTY) == null && System.getProperty(CAMEL_CASE_PROPERTY) == null) {
            System.setProperty(PROPERTY, "0");
        }
    }

    /** The option that switches it off in a JVM this one starts. */
    static String offOption() {
        return "-D" + PROPERTY + "=0";
    }
}
