package org.zoobench.notebooks;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Executes every notebook in this folder headless, in file-name order, with the caps set in this module's
 * pom (MAX_EPOCH, DATASET_LIMIT); any cell's compile error or exception fails its notebook's test.
 * {@code -Dnotebooks.writeOutputs=true} writes the outputs of this run back into the notebooks.
 */
class NotebooksTest {

    @TestFactory
    Stream<DynamicTest> everyNotebookRunsWithoutError() {
        List<Path> notebooks = NotebookExecutor.notebooksIn(Path.of("."));
        assertFalse(notebooks.isEmpty(), "no notebooks found in " + Path.of(".").toAbsolutePath());
        NotebookExecutor executor = NotebookExecutor.forThisJvm();
        return notebooks.stream().map(notebook -> DynamicTest.dynamicTest(notebook.getFileName().toString(),
                () -> executor.execute(notebook)));
    }
}
