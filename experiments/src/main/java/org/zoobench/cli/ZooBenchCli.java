package org.zoobench.cli;

import org.zoobench.zoo.UserInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./zoobench}. User mistakes print one line and exit 2; bugs print a stack trace. */
@Command(name = "zoobench", mixinStandardHelpOptions = true, version = "ZooBench 0.1.0",
        description = "DL4J model zoo and benchmark suite.",
        subcommands = {
                CommandLine.HelpCommand.class,
                ModelsCommand.class,
                SummaryCommand.class,
                BenchCommand.class,
                TrainCommand.class,
                RunCommand.class,
                ReportCommand.class,
                EvalCommand.class,
                GpuCheckCommand.class,
        })
public final class ZooBenchCli {

    public static final int USER_ERROR = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ZooBenchCli());
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            UserInputException userError = findUserError(ex);
            if (userError != null) {
                commandLine.getErr().println("zoobench: " + userError.getMessage());
                return USER_ERROR;
            }
            throw ex;
        });
        return cli;
    }

    private static UserInputException findUserError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof UserInputException u) {
                return u;
            }
        }
        return null;
    }
}
