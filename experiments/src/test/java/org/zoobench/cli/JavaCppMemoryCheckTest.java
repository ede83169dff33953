package org.zoobench.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.Properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check is off in ZooBench's JVMs unless the user set a limit (what each setting costs: the class comment). */
class JavaCppMemoryCheckTest {

    private static final String CAMEL_CASE = "org.bytedeco.javacpp.maxPhysicalBytes";
    private Properties saved;

    @BeforeEach
    void clearTheLimit() {
        saved = (Properties) System.getProperties().clone();
        System.clearProperty(JavaCppMemoryCheck.PROPERTY);
        System.clearProperty(CAMEL_CASE);
    }

    @AfterEach
    void restore() {
        System.setProperties(saved);
    }

    @Test
    void offUnlessTheUserSetALimit() {
        JavaCppMemoryCheck.offUnlessSet();
        assertEquals("0", System.getProperty(JavaCppMemoryCheck.PROPERTY));

        System.setProperty(JavaCppMemoryCheck.PROPERTY, "12G");
        JavaCppMemoryCheck.offUnlessSet();
        assertEquals("12G", System.getProperty(JavaCppMemoryCheck.PROPERTY));

        System.clearProperty(JavaCppMemoryCheck.PROPERTY);
        System.setProperty(CAMEL_CASE, "12G");
        JavaCppMemoryCheck.offUnlessSet();
        assertNull(System.getProperty(JavaCppMemoryCheck.PROPERTY), "JavaCPP reads the other spelling too");
    }

    @Test
    void theBenchmarkJvmsRunWithoutIt() {
        assertTrue(BenchLauncher.javaOptions().contains("-Dorg.bytedeco.javacpp.maxphysicalbytes=0"),
                "unless ZOOBENCH_BENCH_JAVA_OPTS replaces them: " + BenchLauncher.javaOptions());
    }
}
