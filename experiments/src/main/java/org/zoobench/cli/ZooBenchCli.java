package org.zoobench.cli;

import org.zoobench.UserInputException;
import org.zoobench.zoo.GitCommit;
import org.zoobench.zoo.Numbers;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.util.List;
import java.util.Locale;

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
                ImportCommand.class,
                PredictCommand.class,
                UiCommand.class,
                GpuCheckCommand.class,
        })
public final class ZooBenchCli {

    /** The exit code after a user mistake, the benchmark JVM's too. */
    public static final int USER_ERROR = UserInputException.EXIT_CODE;

    public static void main(String[] args) {
        JavaCppMemoryCheck.offUnlessSet();
        GitCommit.recordAtStart();
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        // enum constants are upper case in the code and lower case on the command line
        CommandLine cli = new CommandLine(new ZooBenchCli()).setCaseInsensitiveEnumValuesAllowed(true);
        // A bad option is a user mistake like any other: one line naming it, not the usage after it.
        cli.setParameterExceptionHandler((ex, args) -> {
            CommandLine failed = ex.getCommandLine();
            String notAPort = notAPortAfterUi(ex, args);
            if (notAPort != null) {
                failed.getErr().println("zoobench: --ui takes a port number (0 picks a free one; leave it out for "
                        + "9000), not '" + notAPort + "' (see `" + failed.getCommandSpec().qualifiedName() + " --help`)");
                return USER_ERROR;
            }
            failed.getErr().println("zoobench: " + ex.getMessage().replaceFirst("^Error: ", "") + suggestions(ex) + " (see `"
                    + failed.getCommandSpec().qualifiedName() + " --help`)");
            return USER_ERROR;
        });
        // Out of Java heap where no command expected it (a data set larger than -Xmx): still one line, saying what
        // to change. Errors pass picocli's exception handler by, so they are caught around the execution.
        cli.setExecutionStrategy(parseResult -> {
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutOfMemoryError e) {
                List<CommandLine> commands = parseResult.asCommandLineList();
                CommandLine command = commands.get(commands.size() - 1);
                command.getErr().println(String.format(Locale.ROOT, "zoobench: out of memory (%s) with a Java heap "
                                + "of %s: give Java more, e.g. ZOOBENCH_JAVA_OPTS=-Xmx8g (the default), or ask for "
                                + "less (a smaller --batch, --limit or --input)", e.getMessage(),
                        Numbers.bytes(Runtime.getRuntime().maxMemory())));
                return USER_ERROR;
            }
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

    /**
     * The word after {@code --ui} when it was left unmatched: {@code --ui} takes its port only if it is a number
     * (so that {@code run --ui SUITE} names the suite), and any other word lands here.
     */
    private static String notAPortAfterUi(CommandLine.ParameterException ex, String[] args) {
        if (ex instanceof CommandLine.UnmatchedArgumentException unmatched && !unmatched.getUnmatched().isEmpty()) {
            String word = unmatched.getUnmatched().get(0);
            for (int i = 1; i < args.length; i++) {
                if (args[i].equals(word) && args[i - 1].equals("--ui")) {
                    return word;
                }
            }
        }
        return null;
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
