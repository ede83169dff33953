package org.zoobench.cli;

import org.zoobench.experiments.runner.Progress;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.Writer;

/** {@code --quiet}, shared by train and run: stdout gets only the final table, stderr no progress. */
final class QuietOption {

    @Option(names = "--quiet", description = "print only the final table (no recipe, notes, per-run lines or progress)")
    boolean quiet;

    /** Where the commentary around the table goes: {@code out}, or nowhere with --quiet (progress is off too). */
    PrintWriter commentary(PrintWriter out) {
        if (!quiet) {
            return out;
        }
        System.setProperty(Progress.PROPERTY, "false");
        return new PrintWriter(Writer.nullWriter());
    }
}
