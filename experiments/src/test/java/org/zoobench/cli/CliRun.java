package org.zoobench.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** One in-process run of the CLI with its streams captured. */
record CliRun(int exitCode, String out, String err) {

    static CliRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ZooBenchCli.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int code = cli.execute(args);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** A one-epoch lenet5 run on 64 synthetic training and 50 test images into {@code results}, plus {@code extra}. */
    static CliRun train(Path results, String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "lenet5", "--dataset", "synthetic", "--epochs", "1",
                "--limit", "64", "--test-limit", "50", "--batch", "32", "--bootstrap", "1000", "--results",
                results.toString()));
        args.addAll(List.of(extra));
        return of(args.toArray(String[]::new));
    }

    /** The error output is exactly one line (plus its line break). */
    boolean errIsOneLine() {
        return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1 && !err.contains("\tat ");
    }
}
