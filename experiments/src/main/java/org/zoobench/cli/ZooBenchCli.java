package org.zoobench.cli;

import org.zoobench.zoo.GitCommit;
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
                UiCommand.class,
                GpuCheckCommand.class,
        })
public final class ZooBenchCli {

    /** The exit code after a user mistake, the benchmark JVM's too. */
    public static final int USER_ERROR = UserInputException.EXIT_CODE;

    public static void main(String[] args) {
        GitCommit.recordAtStart();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        // enum constants are upper case in the code and lower case on the command line
        CommandLine cli = new CommandLine(new ZooBenchCli()).setCaseInsensitiveEnumValuesAllowed(true);
        // A bad option is a user mistake like any other: one line naming it, not the usage after it.
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            failed.getErr().println("zoobench: " + ex.getMessage().replaceFirst("^Error: ", "") + suggestions(ex) + " (see `"
                    + failed.getCommandSpec().qualifiedName() + " --help`)");
            return USER_ERROR;
        });
        cli.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            UserInputException userError = findUserError(ex);
            if (userError != null) {
                // One line even where a message quotes a library's multi-line one.
                commandLine.getErr().println("zoobench: " + userError.getMessage().replaceAll("\\s*\\R\\s*", " "));
                return USER_ERROR;
            }
            throw ex;
        });
        return cli;
    }

    private static String suggestions(CommandLine.ParameterException ex) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", unmatched.getSuggestions()) + "?";
        }
        return "";
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
