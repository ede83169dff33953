package org.zoobench.cli;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

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

    /** The error output is exactly one line (plus its line break). */
    boolean errIsOneLine() {
        return err.endsWith("\n") && err.indexOf('\n') == err.length() - 1 && !err.contains("\tat ");
    }
}
