package org.zoobench.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;

/** {@code --format table|csv|json}, shared by the commands that list the zoo, and the writer they list to. */
final class ListingOutput {

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE})")
    OutputFormat format;

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    /** The command's standard output, which tests replace. */
    PrintWriter out() {
        return command.commandLine().getOut();
    }
}
